"""Cases (办件) and consultations (咨询): intake, transitions, lookups and lists."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status

from govhall.api import idempotency, present, selectors
from govhall.api.auth import Actor, actor_of
from govhall.api.endpoints.common import READ, responses
from govhall.api.errors import ApiError, forbidden, not_found
from govhall.api.schemas import (
    CaseDetail,
    CaseIn,
    CasePage,
    CaseQuery,
    ConsultationIn,
    ConsultationOut,
    ConsultationPage,
    ConsultationQuery,
    TransitionIn,
)
from govhall.cases import services
from govhall.cases.models import Case
from govhall.catalog.models import ItemVersion, ServiceItem
from govhall.core import clock
from govhall.core.errors import DomainError
from govhall.org.models import Unit, Window

router = Router(tags=["cases"])

NUMBER = r"^[0-9A-Za-z_-]{1,32}$"
KEY_PATTERN = r"^[!-~]{1,100}$"  # printable ASCII, as HTTP headers carry it
KEY_DOC = (
    "Any unique string (a UUID) per intended create: a retry with the same key and body gets the "
    "first answer again instead of creating twice."
)


def _full_identity(actor: Actor) -> bool:
    return actor.user.has_perm("cases.view_id_number")


def _require(actor: Actor, perm: str) -> None:
    if not actor.user.has_perm(perm):
        raise forbidden()


# --- cases -----------------------------------------------------------------------------------


# What intake reads of the item, its current version and its unit: not the eight parts' long
# texts, which made the item's read the dearest step of an intake. One plain statement: the
# ORM's three-model select_related cost about a fifth of an intake's Python (bench/
# profile_intake.py; docs/performance.md), for a read whose shape never changes.
ITEM_FIELDS = ("id", "center_id", "unit_id", "code", "name", "status", "current_id")
VERSION_FIELDS = ("id", "handling_type", "promised_days")
UNIT_FIELDS = ("id", "name")


def _intake_item_sql(by: str) -> str:
    quote = connection.ops.quote_name
    items, versions = quote(ServiceItem._meta.db_table), quote(ItemVersion._meta.db_table)
    units = quote(Unit._meta.db_table)
    columns = [f"i.{quote(f)}" for f in ITEM_FIELDS] + [f"v.{quote(f)}" for f in VERSION_FIELDS[1:]]
    return (
        f"SELECT {', '.join(columns)}, u.{quote('name')} FROM {items} i"  # noqa: S608
        f" LEFT JOIN {versions} v ON v.{quote('id')} = i.{quote('current_id')}"
        f" JOIN {units} u ON u.{quote('id')} = i.{quote('unit_id')}"
        f" WHERE i.{quote('center_id')} = %s AND i.{quote(by)} = %s"
    )


def _loaded(model: type[Any], names: tuple[str, ...], values: Any) -> Any:
    """A model instance with only these fields, as the ORM's only() would give it."""
    given = dict(zip(names, values, strict=True))
    # from_db takes the values in the model's field order.
    fields = [f for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [f.to_python(given[f.attname]) for f in fields],
    )


def _item_for(actor: Actor, payload: CaseIn) -> ServiceItem:
    if (payload.item_code is None) == (payload.item_id is None):
        message = _("Give either item_code or item_id.")
        raise ApiError(400, "validation_error", message, fields={"item_code": message})
    if payload.item_id is not None:
        by, key, field = "id", payload.item_id, "item_id"
    else:
        by, key, field = "code", payload.item_code, "item_code"
    with connection.cursor() as cursor:
        cursor.execute(_intake_item_sql(by), [actor.center.pk, key])
        row = cursor.fetchone()
    if row is None:
        raise DomainError(_("No item of this center has this code or id."), field=field)
    n = len(ITEM_FIELDS)
    item = _loaded(ServiceItem, ITEM_FIELDS, row[:n])
    if item.current_id is not None:
        item.current = _loaded(ItemVersion, VERSION_FIELDS, (item.current_id, *row[n : n + 2]))
    item.unit = _loaded(Unit, UNIT_FIELDS, (item.unit_id, row[n + 2]))
    return item


def _window_for(actor: Actor, window_id: int | None) -> Window | None:
    if window_id is None:
        return None
    window = Window.objects.filter(pk=window_id, center=actor.center).first()
    if window is None:
        raise DomainError(_("No window of this center has this id."), field="window_id")
    return window


@router.post(
    "/cases",
    response=responses(CaseDetail, *READ, 409, 422, status=201),
    summary="Receive a case (收件)",
)
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", pattern=KEY_PATTERN, description=KEY_DOC
    ),
) -> Any:
    """Register an application for a published item of the caller's center. The case starts as
    `received`; accept it with the `accept` transition once the materials are complete."""
    actor = actor_of(request)
    actor.require_write()

    def create() -> tuple[int, Any]:
        item = _item_for(actor, payload)
        case = services.case_receive(
            by=actor.user,
            item=item,
            applicant_name=payload.applicant_name,
            applicant_id_number=payload.applicant_id_number,
            applicant_phone=payload.applicant_phone,
            agent_name=payload.agent_name,
            agent_id_number=payload.agent_id_number,
            agent_phone=payload.agent_phone,
            channel=payload.channel,
            window=_window_for(actor, payload.window_id),
        )
        case.unit = item.unit  # the item's unit, already read
        body = present.case_detail(case, now=clock.now(), full_identity=_full_identity(actor))
        return 201, body

    return Status(
        *idempotency.run_once(
            user=actor.user,
            key=idempotency_key,
            endpoint="cases.create",
            body=payload.model_dump(mode="json"),
            create=create,
        )
    )


def _case(actor: Actor, number: str, *, events: bool = False) -> Case:
    case = selectors.case_by_number(
        user=actor.user, center=actor.center, number=number, events=events
    )
    if case is None:
        raise not_found(_("No case with this number is visible to you."))
    return case


def _transition(actor: Actor, case: Case, t: TransitionIn) -> None:
    by, action = actor.user, t.action
    if action == "accept":
        services.case_accept(by=by, case=case)
    elif action == "reject":
        services.case_reject(by=by, case=case, reason=t.reason)
    elif action == "request_supplement":
        services.case_request_supplement(by=by, case=case, materials=t.materials, note=t.note)
    elif action == "supplement_complete":
        services.case_supplement_complete(by=by, case=case)
    elif action == "record_step":
        services.case_record_step(by=by, case=case, name=t.name, result=t.result, opinion=t.opinion)
    elif action == "suspend":
        services.case_suspend(by=by, case=case, kind=t.kind, reason=t.reason)
    elif action == "resume":
        services.case_resume(by=by, case=case)
    elif action == "extend":
        services.case_extend(
            by=by, case=case, reason=t.reason, approved_by=t.approved_by, days=t.days
        )
    elif action == "complete":
        services.case_complete(by=by, case=case, result=t.result, note=t.note)
    elif action == "return":
        services.case_return(by=by, case=case, reason=t.reason)
    elif action == "withdraw":
        services.case_withdraw(by=by, case=case, reason=t.reason)
    else:  # "void"; the schema admits no other action
        services.case_void(by=by, case=case, reason=t.reason)


@router.post(
    "/cases/{number}/transitions",
    response=responses(CaseDetail, *READ, 404, 409, 422),
    summary="Move a case on (受理, 办结, 不予受理, 补正 …)",
)
def case_transition(
    request: HttpRequest, payload: TransitionIn, number: str = Path(..., pattern=NUMBER)
) -> Any:
    """Apply one lifecycle action. Which actions a case allows now is in its
    `allowed_actions`; an action its state does not allow answers 409."""
    actor = actor_of(request)
    actor.require_write()
    with transaction.atomic():
        case = _case(actor, number)
        _transition(actor, case, payload)
        case = _case(actor, number, events=True)
        return present.case_detail(case, now=clock.now(), full_identity=_full_identity(actor))


@router.get(
    "/cases/{number}",
    response=responses(CaseDetail, *READ, 404),
    summary="One case by its number",
)
def case_get(request: HttpRequest, number: str = Path(..., pattern=NUMBER)) -> Any:
    """The case with its timeline; another center's (or unit's) case answers 404."""
    actor = actor_of(request)
    _require(actor, "cases.view_case")
    case = _case(actor, number, events=True)
    return present.case_detail(case, now=clock.now(), full_identity=_full_identity(actor))


@router.get("/cases", response=responses(CasePage, *READ), summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseQuery]) -> Any:
    """Newest receipt first, narrowed by the filters (dates are local days, both ends
    included). Pass `next_cursor` back as `cursor` for the next page until it is null."""
    actor = actor_of(request)
    _require(actor, "cases.view_case")
    now = clock.now()
    cases = selectors.case_list(user=actor.user, center=actor.center, filters=filters, now=now)
    page = selectors.page(cases, selectors.CASE_ORDER, filters.cursor, filters.limit)
    full = _full_identity(actor)
    return {
        "results": [present.case_row(c, now=now, full_identity=full) for c in page.rows],
        "next_cursor": page.next_cursor,
    }


# --- consultations ---------------------------------------------------------------------------


@router.get(
    "/consultations",
    response=responses(ConsultationPage, *READ),
    summary="List consultations",
    tags=["consultations"],
)
def consultation_list(request: HttpRequest, filters: Query[ConsultationQuery]) -> Any:
    """Newest first; `date_from`/`date_to` are local days, both included."""
    actor = actor_of(request)
    _require(actor, "cases.view_consultation")
    rows = selectors.consultation_list(user=actor.user, center=actor.center, filters=filters)
    page = selectors.page(rows, selectors.CONSULTATION_ORDER, filters.cursor, filters.limit)
    return {
        "results": [present.consultation_row(r) for r in page.rows],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/consultations",
    response=responses(ConsultationOut, *READ, 409, 422, status=201),
    summary="Log a consultation (咨询登记)",
    tags=["consultations"],
)
def consultation_create(
    request: HttpRequest,
    payload: ConsultationIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", pattern=KEY_PATTERN, description=KEY_DOC
    ),
) -> Any:
    """Person-times count people, not conversations."""
    actor = actor_of(request)
    actor.require_write()

    def create() -> tuple[int, Any]:
        unit = Unit.objects.filter(pk=payload.unit_id, center=actor.center).first()
        if unit is None:
            raise DomainError(_("No unit of this center has this id."), field="unit_id")
        item = None
        if payload.item_id is not None:
            item = ServiceItem.objects.filter(pk=payload.item_id, center=actor.center).first()
            if item is None:
                raise DomainError(_("No item of this center has this id."), field="item_id")
        row = services.consultation_log(
            by=actor.user,
            unit=unit,
            topic=payload.topic,
            person_times=payload.person_times,
            channel=payload.channel,
            item=item,
        )
        row.unit = unit
        return 201, present.consultation_row(row)

    return Status(
        *idempotency.run_once(
            user=actor.user,
            key=idempotency_key,
            endpoint="consultations.create",
            body=payload.model_dump(mode="json"),
            create=create,
        )
    )
