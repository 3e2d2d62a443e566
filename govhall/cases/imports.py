"""Import kinds `cases` and `consultations` (DESIGN.md §5): a hall's history as it was.

The rows are checked for format and references (item codes, staff of the item's unit, times,
numbers), not for today's workflow: an imported completed case keeps its times even where the
lifecycle would refuse them. Every bad row is named with its column; nothing is written unless
every row is good. The checked rows are written in bulk by `govhall.cases.history`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.cases import history
from govhall.cases.history import (
    CLOSED_BY_TIME,
    DECIDED_BY_TIME,
    OPEN_STATUSES,
    STATUS_WORDS,
    HistoryCase,
    HistoryConsultation,
)
from govhall.cases.models import Case, Consultation
from govhall.core.access import Actor
from govhall.core.errors import DomainError
from govhall.core.imports import ImportErrors, ImportKind, Row, parse_local_datetime, register
from govhall.org.models import Center, Staff, Unit
from govhall.org.services import clean_phone

NUMBER, ITEM, APPLICANT, PHONE, STAFF = "受理编号", "事项编码", "申请人", "联系电话", "受理人"
ACCEPTED, CLOSED, STATUS = "受理时间", "办结时间", "状态"
CASE_COLUMNS = (NUMBER, ITEM, APPLICANT, PHONE, STAFF, ACCEPTED, CLOSED, STATUS)

UNIT, AT, PERSON_TIMES, TOPIC = "单位", "咨询时间", "人次", "内容"
CONSULTATION_COLUMNS = (UNIT, STAFF, AT, PERSON_TIMES, TOPIC)

MAX_PERSON_TIMES = 999


def _field_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def _required(row: Row, column: str, errors: ImportErrors) -> str:
    value = row.get(column)
    if not value:
        errors.add(row, column, _("must not be empty"))
    return value


def _time(row: Row, column: str, errors: ImportErrors) -> dt.datetime | None:
    value = row.get(column)
    if not value:
        return None
    try:
        return parse_local_datetime(value)
    except ValueError:
        errors.add(
            row,
            column,
            _(
                "“{value}” is not a time: write it as YYYY-MM-DD HH:MM, e.g. 2016-12-08 09:30"
            ).format(value=value),
        )
        return None


def _person(
    people: dict[tuple[int, str], list[Staff]],
    unit: Unit,
    name: str,
    row: Row,
    errors: ImportErrors,
) -> Staff | None:
    """The one person of that name in the unit (an active one before a former one)."""
    found = people.get((unit.pk, name), [])
    active = [p for p in found if p.is_active]
    candidates = active or found
    if not candidates:
        errors.add(
            row,
            STAFF,
            _("“{name}” is not on the staff of {unit}; import the staff first").format(
                name=name, unit=unit.name
            ),
        )
        return None
    if len(candidates) > 1:
        errors.add(
            row,
            STAFF,
            _("more than one person of {unit} is named “{name}”").format(unit=unit.name, name=name),
        )
        return None
    return candidates[0]


def _statuses() -> str:
    return "/".join(STATUS_WORDS)


def import_cases(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """受理编号, 事项编码, 申请人, 联系电话, 受理人, 受理时间, 办结时间, 状态 — one row per case."""
    items = history.item_versions(center)
    people = history.staff_by_unit(center)
    taken = history.existing_numbers(center, (row.get(NUMBER) for row in rows))
    number_length = _field_length(Case, "number")
    name_length = _field_length(Case, "applicant_name")
    seen: dict[str, int] = {}
    planned: list[HistoryCase] = []
    for row in rows:
        before = len(errors.problems)
        number = _required(row, NUMBER, errors)
        if number:
            if len(number) > number_length:
                errors.add(row, NUMBER, _("is longer than {n} characters").format(n=number_length))
            elif number in seen:
                errors.add(row, NUMBER, _("repeats row {row}").format(row=seen[number]))
            elif number in taken:
                errors.add(
                    row,
                    NUMBER,
                    _("case {number} is already in {center}").format(
                        number=number, center=center.name
                    ),
                )
            seen.setdefault(number, row.number)

        code = _required(row, ITEM, errors)
        found = items.get(code) if code else None
        if code and found is None:
            errors.add(
                row, ITEM, _("unknown item code “{code}”; import the items first").format(code=code)
            )

        applicant = _required(row, APPLICANT, errors)
        if len(applicant) > name_length:
            errors.add(row, APPLICANT, _("is longer than {n} characters").format(n=name_length))

        try:
            phone = clean_phone(row.get(PHONE))
        except DomainError as exc:
            errors.add(row, PHONE, exc.message)
            phone = ""

        staff_name = _required(row, STAFF, errors)
        staff = (
            _person(people, found[0].unit, staff_name, row, errors)
            if found and staff_name
            else None
        )

        accepted_at = _time(row, ACCEPTED, errors) if _required(row, ACCEPTED, errors) else None
        closed_at = _time(row, CLOSED, errors)
        word = _required(row, STATUS, errors)
        status = STATUS_WORDS.get(word)
        if word and status is None:
            errors.add(
                row,
                STATUS,
                _("“{value}” is not a status; use one of {choices}").format(
                    value=word, choices=_statuses()
                ),
            )
        if status is not None:
            _check_times(row, status, word, accepted_at, closed_at, errors)

        if len(errors.problems) > before or found is None or accepted_at is None or status is None:
            continue
        item, version = found
        planned.append(
            HistoryCase(
                number=number,
                item=item,
                version=version,
                applicant_name=applicant,
                applicant_phone=phone,
                staff=staff,
                received_at=accepted_at,
                status=status,
                closed_at=closed_at if status in DECIDED_BY_TIME else None,
            )
        )
    if errors:
        return 0, 0
    history.case_history_import(
        by=by, center=center, cases=planned, note=_("import of {n} cases").format(n=len(planned))
    )
    return len(planned), 0


def _check_times(
    row: Row,
    status: str,
    word: str,
    accepted_at: dt.datetime | None,
    closed_at: dt.datetime | None,
    errors: ImportErrors,
) -> None:
    """What the status says about the 办结时间: present when closed by it, absent otherwise."""
    has_closed = bool(row.get(CLOSED))
    if status in CLOSED_BY_TIME and not has_closed:
        errors.add(row, CLOSED, _("a case that is {status} needs its 办结时间").format(status=word))
    elif status in OPEN_STATUSES and has_closed:
        errors.add(
            row,
            CLOSED,
            _(
                "a case that is {status} is still open: leave 办结时间 empty, or set 状态 to 已办结"
            ).format(status=word),
        )
    # A 不予受理 row may carry the time of the decision (as the hall's systems export it);
    # without one the refusal is dated at its 受理时间.
    if accepted_at and closed_at and closed_at < accepted_at:
        errors.add(row, CLOSED, _("is before the 受理时间"))


def import_consultations(
    *, center: Center, rows: list[Row], errors: ImportErrors, by: Actor
) -> tuple[int, int]:
    """单位, 受理人, 咨询时间, 人次, 内容 — one row per record; 受理人 and 内容 may be empty."""
    units = {unit.name: unit for unit in Unit.objects.filter(center=center)}
    people = history.staff_by_unit(center)
    topic_length = _field_length(Consultation, "topic")
    planned: list[HistoryConsultation] = []
    for row in rows:
        before = len(errors.problems)
        unit_name = _required(row, UNIT, errors)
        unit = units.get(unit_name)
        if unit_name and unit is None:
            errors.add(
                row, UNIT, _("unknown unit “{unit}”; import the units first").format(unit=unit_name)
            )
        staff_name = row.get(STAFF)
        staff = _person(people, unit, staff_name, row, errors) if unit and staff_name else None
        at = _time(row, AT, errors) if _required(row, AT, errors) else None
        person_times = 1
        if text := row.get(PERSON_TIMES):
            try:
                person_times = int(text)
            except ValueError:
                person_times = 0
            if not 1 <= person_times <= MAX_PERSON_TIMES:
                errors.add(
                    row,
                    PERSON_TIMES,
                    _("must be a whole number from 1 to {n}").format(n=MAX_PERSON_TIMES),
                )
        topic = row.get(TOPIC)
        if len(topic) > topic_length:
            errors.add(row, TOPIC, _("is longer than {n} characters").format(n=topic_length))
        if len(errors.problems) > before or unit is None or at is None:
            continue
        planned.append(
            HistoryConsultation(
                unit=unit, staff=staff, at=at, person_times=person_times, topic=topic
            )
        )
    if errors:
        return 0, 0
    history.consultation_history_import(
        by=by,
        center=center,
        consultations=planned,
        note=_("import of {n} consultations").format(n=len(planned)),
    )
    return len(planned), 0


register(
    ImportKind(
        name="cases",
        required=CASE_COLUMNS,
        optional=(),
        run=import_cases,
        description=gettext_lazy("case history (办件), as it was"),
    )
)
register(
    ImportKind(
        name="consultations",
        required=CONSULTATION_COLUMNS,
        optional=(),
        run=import_consultations,
        description=gettext_lazy("consultation records (咨询), in person-times"),
    )
)
