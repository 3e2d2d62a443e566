"""Published catalog items for the kiosk's tests, made through the real catalog services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhall.catalog import services
from govhall.catalog.models import ServiceItem


def basic(name: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name,
        "category": "01",
        "target": "person",
        "handling_type": "promised",
        "legal_days": 20,
        "promised_days": 5,
        "legal_basis": "《中华人民共和国护照法》第五条",
        "conditions": "本县户籍居民",
        "place": "政务服务中心一楼",
        "hours": "周一至周五 8:30-12:00 14:30-17:30",
        "service_scope": "随县、曾都区户籍居民",
        "result_name": "护照",
        "result_type": "证照",
        "fee_mode": "charged",
        "visits": 1,
        "special_procedures": "实地核查",
    }
    values.update(overrides)
    return values


def rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "materials": [
            {"name": "居民身份证", "copy_form": "both", "copies": 1},
            {
                "name": "近期免冠照片",
                "copy_form": "original",
                "copies": 2,
                "necessity": "deferrable",
            },
        ],
        "fees": [
            {
                "name": "护照工本费",
                "amount": "120.00",
                "unit_text": "本",
                "basis": "发改价格〔2013〕1494号",
            }
        ],
        "forms": [{"name": "中国公民出入境证件申请表"}],
        "steps": [
            {"name": "受理", "role": "窗口人员", "limit_days": 1, "standard": "材料齐全"},
            {"name": "审核", "role": "出入境科", "limit_days": 2},
            {"name": "制证", "role": "省公安厅", "limit_days": 2},
        ],
        "risks": [
            {"step": "受理", "risk": "故意刁难申请人", "level": "medium", "measure": "一次性告知"}
        ],
        "faqs": [{"question": "护照有效期多久？", "answer": "未满十六周岁五年，其他十年。"}],
    }


@pytest.fixture
def publish(hall: Any) -> Callable[..., ServiceItem]:
    """publish("普通护照签发", unit=hall.x, code="P1", promised_days=5) → a public item."""
    counter = iter(range(1, 10_000))

    def _publish(name: str, *, unit: Any = None, code: str = "", **overrides: Any) -> ServiceItem:
        unit = unit or hall.x
        item, _created = services.item_import_published(
            by=None,
            center=unit.center,
            unit=unit,
            code=code or f"T{next(counter):04d}",
            basic=basic(name, **overrides),
            rows=rows(),
        )
        return item

    return _publish
