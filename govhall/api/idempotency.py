"""Idempotency-Key: a retried create returns the first answer instead of creating twice.

The answer is stored in the same transaction as the record it reports, under a unique
(account, key) constraint: a concurrent retry either finds the stored answer or fails on the
constraint and is rolled back whole (no second case), then replays what the first one stored.
Errors are not stored: a refused create changed nothing, so retrying it is harmless.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govhall.api.errors import ApiError
from govhall.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _replay(record: IdempotencyRecord, endpoint: str, digest: str) -> tuple[int, Any]:
    if record.endpoint != endpoint or record.body_hash != digest:
        raise ApiError(
            409,
            "idempotency_conflict",
            _(
                "This Idempotency-Key was already used with a different request; "
                "use a new key for a new request."
            ),
            fields={HEADER: _("Already used with a different request.")},
        )
    return record.status_code, record.response


def run_once(
    *,
    user: Any,
    key: str | None,
    endpoint: str,
    body: dict[str, Any],
    create: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """(status, JSON body) of `create`, run at most once per (user, key)."""
    if not key:
        return create()  # the service it calls is one transaction already
    digest = body_hash(body)
    found = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if found is not None:
        return _replay(found, endpoint, digest)
    try:
        with transaction.atomic():
            status, response = create()
            stored = json.loads(json.dumps(response, cls=DjangoJSONEncoder))
            IdempotencyRecord.objects.create(
                user=user,
                key=key,
                endpoint=endpoint,
                body_hash=digest,
                status_code=status,
                response=stored,
            )
    except IntegrityError:
        found = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if found is None:
            raise  # not the key: a real integrity failure
        return _replay(found, endpoint, digest)
    return status, stored
