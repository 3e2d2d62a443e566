"""Complete catalog items for tests, made through the real services."""

from __future__ import annotations

from typing import Any

from govhall.catalog import services


def complete_basic(name: str = "普通护照签发", **overrides: Any) -> dict[str, Any]:
    basic = {
        "name": name,
        "category": "01",
        "target": "person",
        "handling_type": "promised",
        "legal_days": 15,
        "promised_days": 7,
        "legal_basis": "《中华人民共和国护照法》第五条",
        "conditions": "本县户籍居民",
        "place": "一楼A01窗口",
        "hours": "周一至周五",
        "result_name": "护照",
        "fee_mode": "charged",
        "decision_document": "随县政办发[2016]55号",
    }
    basic.update(overrides)
    return basic


def complete_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        "materials": [{"name": "居民身份证"}, {"name": "近期免冠照片", "copies": 2}],
        "fees": [{"name": "护照工本费", "amount": "160.00", "unit_text": "本"}],
        "forms": [{"name": "中国公民出入境证件申请表"}],
        "steps": [
            {"name": "受理", "role": "窗口", "limit_days": 1},
            {"name": "审核", "role": "出入境科", "limit_days": 4},
            {"name": "制证", "role": "省厅", "limit_days": 2},
        ],
        "risks": [
            {"step": "受理", "risk": "刁难申请人", "level": "medium", "measure": "一次性告知"}
        ],
        "faqs": [{"question": "多久能拿到护照？", "answer": "7个工作日。"}],
    }


def publish_item(
    center: Any, unit: Any, code: str = "P001", name: str = "普通护照签发", **basic: Any
) -> Any:
    item, _created = services.item_import_published(
        by=None,
        center=center,
        unit=unit,
        code=code,
        basic=complete_basic(name, **basic),
        rows=complete_rows(),
    )
    return item
