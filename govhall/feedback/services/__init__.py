"""Writes of public feedback: ratings (好差评), the rectification a bad rating opens, the
validity review, and complaints (投诉) and messages (留言) from routing to the submitter's verdict.

Staff services take `by` and check its permission and scope (None is the system: the demo and
imports). Public services take no account: the signed link, the case number with the phone's
last digits, or the reference code is the key, checked by the face or here under a rate limit;
their audit entries name the system. `at` records history (demo, imports); faces never pass it.

One module per topic; callers import from the package (`services.rating_submit`).
"""

from govhall.feedback.services._common import MAX_TEXT
from govhall.feedback.services.complaints import (
    ACTION_NAMES,
    CODE_LENGTH,
    MAX_CONTENT,
    MAX_NAME,
    MAX_SUBJECT,
    MIN_CONTENT,
    feedback_accept,
    feedback_answer,
    feedback_by_code,
    feedback_dismiss,
    feedback_reopen,
    feedback_route,
    feedback_submit,
    normalize_code,
)
from govhall.feedback.services.limits import feedback_settings_update
from govhall.feedback.services.ratings import (
    MAX_COMMENT,
    MAX_TAGS,
    RATABLE,
    clean_tags,
    rating_lookup,
    rating_review,
    rating_review_request,
    rating_submit,
)
from govhall.feedback.services.rectification import (
    UNREACHABLE_LIMIT,
    rectification_contact,
    rectification_follow_up,
    rectification_rectify,
)

__all__ = [
    "ACTION_NAMES",
    "CODE_LENGTH",
    "MAX_COMMENT",
    "MAX_CONTENT",
    "MAX_NAME",
    "MAX_SUBJECT",
    "MAX_TAGS",
    "MAX_TEXT",
    "MIN_CONTENT",
    "RATABLE",
    "UNREACHABLE_LIMIT",
    "clean_tags",
    "feedback_accept",
    "feedback_answer",
    "feedback_by_code",
    "feedback_dismiss",
    "feedback_reopen",
    "feedback_route",
    "feedback_settings_update",
    "feedback_submit",
    "normalize_code",
    "rating_lookup",
    "rating_review",
    "rating_review_request",
    "rating_submit",
    "rectification_contact",
    "rectification_follow_up",
    "rectification_rectify",
]
