"""Records as the API's JSON: one function per response shape, no queries of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from govhall.api.selectors import is_overdue
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.cases.services import ACTION_NAMES, ALLOWED
from govhall.catalog.files import BLANK_FORM, FLOWCHART, FORM, SAMPLE
from govhall.catalog.models import ServiceItem
from govhall.core.text import mask_id_number, mask_phone


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _days(value: Decimal | None) -> float:
    return float(value or 0)


def _file_url(
    absolute: Callable[[str], str], item: ServiceItem, kind: str, pk: int, file: FieldFile
) -> str | None:
    """The kiosk's address of a published file (the storage path is served by nothing)."""
    if not file:
        return None
    return absolute(reverse("portal:item_file", args=[item.pk, kind, pk]))


# --- catalog ---------------------------------------------------------------------------------


def item_summary(item: ServiceItem) -> dict[str, Any]:
    version = item.current
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.name,
        "unit_id": item.unit_id,
        "unit": item.unit.name,
        "category": item.category,
        "handling_type": version.handling_type if version else "",
        "legal_days": _days(version.legal_days if version else None),
        "promised_days": _days(version.promised_days if version else None),
    }


def item_detail(
    item: ServiceItem, *, absolute: Callable[[str], str] = lambda path: path
) -> dict[str, Any]:
    """The item's guide; `absolute` turns a path into the address a client opens."""
    v = item.current
    if v is None:  # public_items() have a published version; a race may still remove it
        raise ValueError("item without a published version")

    def url(kind: str, pk: int, file: FieldFile) -> str | None:
        return _file_url(absolute, item, kind, pk, file)

    steps = list(v.steps.all())
    return {
        **item_summary(item),
        "parts": {
            "basic": {
                "basic_code": v.basic_code,
                "category": v.category,
                "category_label": str(v.get_category_display()),
                "target": v.target,
                "handling_type": v.handling_type,
                "legal_days": _days(v.legal_days),
                "promised_days": _days(v.promised_days),
                "legal_basis": v.legal_basis,
                "visits": v.visits,
                "special_procedures": v.special_procedure_list,
                "conditions": v.conditions,
                "place": v.place,
                "hours": v.hours,
                "service_scope": v.service_scope,
                "result_name": v.result_name,
                "result_type": v.result_type,
                "phone": v.phone,
                "version": v.number,
                "published_at": _local(v.published_at),
            },
            "flowchart": {
                "image_url": url(FLOWCHART, v.pk, v.flowchart_image),
                "steps": [s.name for s in steps],
            },
            "materials": [
                {
                    "name": m.name,
                    "kind": m.kind,
                    "source": m.source,
                    "necessity": m.necessity,
                    "copy_form": m.copy_form,
                    "copies": m.copies,
                    "medium": m.medium,
                    "note": m.note,
                    "blank_form_url": url(BLANK_FORM, m.pk, m.blank_form),
                    "sample_url": url(SAMPLE, m.pk, m.sample),
                }
                for m in v.materials.all()
            ],
            "fees": {
                "mode": v.fee_mode,
                "lines": [
                    {
                        "name": f.name,
                        "amount": None if f.amount is None else f"{f.amount:.2f}",
                        "unit_text": f.unit_text,
                        "basis": f.basis,
                    }
                    for f in v.fee_lines.all()
                ],
            },
            "forms": {
                "none_needed": v.no_forms,
                "files": [{"name": f.name, "url": url(FORM, f.pk, f.file)} for f in v.forms.all()],
            },
            "steps": [
                {
                    "name": s.name,
                    "role": s.role,
                    "limit_days": _days(s.limit_days),
                    "standard": s.standard,
                }
                for s in steps
            ],
            "risks": [
                {"step": r.step, "risk": r.risk, "level": r.level, "measure": r.measure}
                for r in v.risks.all()
            ],
            "faqs": [{"question": f.question, "answer": f.answer} for f in v.faqs.all()],
        },
    }


# --- cases -----------------------------------------------------------------------------------


def _window_name(case: Case) -> str | None:
    # The window is the case unit's (case_receive checks it), so its name needs no extra read.
    if case.window is None:
        return None
    name, unit = case.window.name, case.unit.name
    return name if name.startswith(unit) else f"{unit}{name}"


def case_row(case: Case, *, now: dt.datetime, full_identity: bool) -> dict[str, Any]:
    """A case as lists show it; ID numbers and phones are masked unless the caller may see them."""
    id_number, phone = case.applicant_id_number, case.applicant_phone
    if not full_identity:
        id_number, phone = mask_id_number(id_number), mask_phone(phone)
    return {
        "number": case.number,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "unit_id": case.unit_id,
        "unit": case.unit.name,
        "window": _window_name(case),
        "item_code": case.item.code,
        "item_name": case.item.name,
        "handling_type": case.handling_type,
        "promised_days": _days(case.promised_days),
        "channel": case.channel,
        "applicant_name": case.applicant_name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "agent_name": case.agent_name,
        "received_at": _local(case.received_at),
        "accepted_at": _local(case.accepted_at),
        "completed_at": _local(case.completed_at),
        "closed_at": _local(case.closed_at),
        "due_at": _local(case.due_at),
        "due_date": case.due_date,
        "result": case.result,
        "close_reason": case.close_reason,
        "is_overdue": is_overdue(case, now),
    }


def case_detail(case: Case, *, now: dt.datetime, full_identity: bool) -> dict[str, Any]:
    return {
        **case_row(case, now=now, full_identity=full_identity),
        "allowed_actions": [a for a, starts in ALLOWED.items() if case.status in starts],
        "events": [
            {
                "at": _local(e.at),
                "action": e.action,
                "label": ACTION_NAMES.get(e.action, e.action),
                "by": e.by_name,
                "note": e.note,
            }
            for e in case.events.all()
        ],
    }


def consultation_row(row: Consultation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "unit_id": row.unit_id,
        "unit": row.unit.name,
        "staff": row.staff.name if row.staff_id else None,
        "item_id": row.item_id,
        "at": _local(row.at),
        "person_times": row.person_times,
        "topic": row.topic,
        "channel": row.channel,
    }
