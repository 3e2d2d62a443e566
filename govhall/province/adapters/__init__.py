"""Provincial platform adapters and their registry (see adapters/base.py for the contract)."""

from govhall.province.adapters.base import (
    Ack,
    InboundWarning,
    PlatformError,
    ProvincialPlatform,
    adapter_for,
    adapter_names,
    register_adapter,
)
from govhall.province.adapters.http import HttpJsonPlatform
from govhall.province.adapters.log import LogPlatform

register_adapter("http", HttpJsonPlatform.for_link)
register_adapter("disabled", LogPlatform.for_link)

__all__ = [
    "Ack",
    "HttpJsonPlatform",
    "InboundWarning",
    "LogPlatform",
    "PlatformError",
    "ProvincialPlatform",
    "adapter_for",
    "adapter_names",
    "register_adapter",
]
