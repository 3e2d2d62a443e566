"""Interim: the module moved into the package; it is split by topic next."""

from govhall.staffing.services.leave import *  # noqa: F403
from govhall.staffing.services.leave import HOURS_FIELDS  # noqa: F401
