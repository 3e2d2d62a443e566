"""The `disabled` adapter: sends nothing anywhere, writes each message to the log and
acknowledges it locally, so a center without a provincial link keeps a clean outbox."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from govhall.province.adapters.base import Ack, InboundWarning

logger = logging.getLogger("govhall.province")


class LogPlatform:
    def __init__(self, *, center: str = "") -> None:
        self.center = center

    @classmethod
    def for_link(cls, link: Any) -> LogPlatform:
        return cls(center=str(link.center))

    def _log(self, what: str, payload: dict[str, Any]) -> Ack:
        message_id = str(payload.get("message_id", ""))
        logger.info(
            "province[%s] %s not sent (adapter disabled): %s",
            self.center,
            what,
            json.dumps(payload, ensure_ascii=False),
        )
        return Ack(ok=True, reference=f"local:{message_id}")

    def push_case(self, payload: dict[str, Any]) -> Ack:
        return self._log("case", payload)

    def push_rating(self, payload: dict[str, Any]) -> Ack:
        return self._log("rating", payload)

    def fetch_warnings(self, since: dt.datetime | None) -> list[InboundWarning]:
        return []
