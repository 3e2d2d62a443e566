"""What the catalog tells apps it must not know (supervision's in-app alerts sit above it)."""

from django.dispatch import Signal

# The office returned a submitted version to its unit: sent inside `version_return`'s
# transaction with `version` (an ItemVersion, its item loaded), `comment` and `by`, so a
# receiver's writes stand or fall with the return.
version_returned = Signal()
