"""Interim: the module moved into the package; it is split by topic next."""

from govhall.feedback.services.complaints import *  # noqa: F403
