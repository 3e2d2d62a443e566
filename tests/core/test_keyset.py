"""Keyset pages: walking a list by cursor shows every row once, in the list's order, however
the rows tie; a cursor someone edited is refused with a message naming it."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govhall.core.errors import DomainError
from govhall.core.keyset import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor, keyset_page
from govhall.staffing.choices import LeaveKind, RecordSource
from govhall.staffing.models import Leave
from tests.factories import StaffFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Leave rows carry a date, a decimal, a datetime and text: every kind of key a list sorts by.
# Few distinct values per column, so rows tie on every prefix of the order.
DATES = st.sampled_from([dt.date(2016, 12, 1), dt.date(2016, 12, 2), dt.date(2017, 1, 3)])
DAYS = st.sampled_from([Decimal("0.5"), Decimal("1.00"), Decimal("2.25"), Decimal("10")])
MOMENTS = st.sampled_from(
    [
        dt.datetime(2016, 12, 1, 9, 0, tzinfo=SHANGHAI),
        dt.datetime(2016, 12, 1, 9, 0, 0, 500_000, tzinfo=SHANGHAI),  # microseconds matter
        dt.datetime(2016, 12, 1, 7, 30, tzinfo=SHANGHAI),  # the previous day in UTC
        dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=SHANGHAI),
    ]
)
KINDS = st.sampled_from([LeaveKind.PERSONAL, LeaveKind.SICK, LeaveKind.ANNUAL])
REASONS = st.sampled_from(["", "看病", "家中有事", "Zhang", "zhang"])
ROW = st.fixed_dictionaries(
    {
        "start_date": DATES,
        "days": DAYS,
        "requested_at": MOMENTS,
        "kind": KINDS,
        "reason": REASONS,
    }
)
SORTABLE = ["start_date", "days", "requested_at", "kind", "reason"]


@st.composite
def orders(draw: Any) -> tuple[str, ...]:
    """A random order over some columns, each ascending or descending, ending with the key."""
    fields = draw(st.permutations(SORTABLE))[: draw(st.integers(0, len(SORTABLE)))]
    signs = draw(st.lists(st.booleans(), min_size=len(fields) + 1, max_size=len(fields) + 1))
    order = [("-" if desc else "") + f for f, desc in zip(fields, signs, strict=False)]
    return (*order, "-pk" if signs[-1] else "pk")


@pytest.fixture
def staff(db: Any) -> Any:
    return StaffFactory(name="翻页测试")


def _store(staff: Any, rows: list[dict[str, Any]]) -> Any:
    """Replace the staff member's leave rows with `rows`; the queryset of them."""
    Leave.objects.filter(staff=staff).delete()
    Leave.objects.bulk_create(
        Leave(
            center=staff.center,
            unit=staff.unit,
            staff=staff,
            end_date=row["start_date"],
            source=RecordSource.OFFICE,
            **row,
        )
        for row in rows
    )
    return Leave.objects.filter(staff=staff)


def _walk(queryset: Any, order: tuple[str, ...], size: int) -> list[int]:
    """Follow the cursors from the first page to the last: the ids in the order shown."""
    seen: list[int] = []
    cursor = None
    for _ in range(1000):
        page = keyset_page(queryset, order, cursor, size=size)
        assert len(page.rows) <= size
        assert page.has_next == (page.next_cursor is not None)
        seen.extend(row.pk for row in page.rows)
        if not page.has_next:
            return seen
        assert len(page.rows) == size  # only the last page may be short
        cursor = page.next_cursor
    raise AssertionError("the cursors never reached the last page")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, max_size=30), order=orders(), size=st.integers(1, 8))
def test_walking_the_cursors_shows_every_row_once_in_the_lists_order(staff, rows, order, size):
    # given rows that tie on any prefix of the order
    queryset = _store(staff, rows)
    # when the list is read page by page
    seen = _walk(queryset, order, size)
    # then it is the whole list in order, nothing skipped or repeated at a page break
    assert seen == list(queryset.order_by(*order).values_list("pk", flat=True))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(ROW, min_size=1, max_size=12), order=orders())
def test_a_filtered_list_pages_within_the_filter(staff, rows, order):
    # given a list narrowed to one kind of leave
    queryset = _store(staff, rows).filter(kind=LeaveKind.SICK)
    # when it is walked two rows at a time
    seen = _walk(queryset, order, 2)
    # then only the filtered rows come back, each once
    assert seen == list(queryset.order_by(*order).values_list("pk", flat=True))


def test_the_first_page_of_a_short_list_has_no_next_page(staff):
    _store(staff, [{"start_date": dt.date(2016, 12, 1), "days": Decimal(1),
                    "requested_at": dt.datetime(2016, 12, 1, tzinfo=SHANGHAI),
                    "kind": LeaveKind.SICK, "reason": ""}])  # fmt: skip
    page = keyset_page(Leave.objects.all(), ("-start_date", "-pk"), None, size=5)
    assert len(page.rows) == 1
    assert not page.has_next


def test_the_page_size_is_kept_between_one_and_the_maximum(staff):
    row = {"start_date": dt.date(2016, 12, 1), "days": Decimal(1),
           "requested_at": dt.datetime(2016, 12, 1, tzinfo=SHANGHAI),
           "kind": LeaveKind.SICK, "reason": ""}  # fmt: skip
    queryset = _store(staff, [row] * 3)
    assert len(keyset_page(queryset, ("pk",), None, size=0).rows) == 1
    assert len(keyset_page(queryset, ("pk",), None, size=-5).rows) == 1


# --- the cursor's values ---------------------------------------------------------------------

VALUES = st.one_of(
    st.datetimes(  # hypothesis takes naive bounds and adds the time zones itself
        min_value=dt.datetime(1900, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
        # Fixed offsets: the database hands back UTC, and a zone's DST gap (Shanghai, 1947)
        # makes Python's == between zones false even for the same moment.
        timezones=st.sampled_from(
            [dt.UTC, dt.timezone(dt.timedelta(hours=8)), dt.timezone(dt.timedelta(hours=-5))]
        ),
    ),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.integers(),
    st.text(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@given(st.lists(VALUES, min_size=1, max_size=6))
def test_a_cursor_gives_back_exactly_the_values_it_holds(values):
    cursor = encode_cursor(values)
    # The lists sort by dates, numbers and short codes; a cursor past the limit is refused
    # (the far-too-long cursor test below), never half read.
    assume(len(cursor) <= MAX_CURSOR_LENGTH)
    decoded = decode_cursor(cursor, len(values))
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]
    for before, after in zip(values, decoded, strict=True):
        if isinstance(before, dt.datetime):
            assert after.utcoffset() == before.utcoffset()  # the same moment, not a shifted one
        if isinstance(before, Decimal):
            assert str(after) == str(before)  # 1.10 stays 1.10


def test_a_cursor_is_safe_to_put_in_a_link():
    cursor = encode_cursor([dt.datetime(2016, 12, 1, 9, tzinfo=SHANGHAI), "看病?&=/+", 7])
    assert cursor.isascii()
    assert not set(cursor) & set("?&=/+# %")


# --- tampered cursors -----------------------------------------------------------------------


def _raw(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


TAMPERED = [
    "not a cursor",
    "%%%",
    "!!!!",
    "////",
    "全角",
    _raw({"a": 1}),  # not a list
    _raw([1]),  # one value for a two-field order
    _raw([1, 2, 3]),
    _raw([{"d": "2016-13-45"}, 1]),  # no such date
    _raw([{"d": "tomorrow"}, 1]),
    _raw([{"dt": "2016-12-01T25:00:00"}, 1]),
    _raw([{"dec": "abc"}, 1]),
    _raw([{"dec": "NaN"}, 1]),
    _raw([{"x": 1}, 1]),  # an unknown tag
    _raw([None, 1]),
    _raw([[1], 1]),
    _raw(["abc", 1]),  # text where the order has a date
    _raw([{"d": "2016-12-01"}, "abc"]),  # text where the order has the primary key
    _raw([{"d": "2016-12-01"}, {"d": "2016-12-01"}]),  # a date for the primary key
    base64.urlsafe_b64encode(b"[1, NaN]").decode(),
    base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),  # not UTF-8
]


def _outcome(read: Any) -> str | None:
    """ "page" when the read gives a page, "cursor" when it refuses the cursor by name."""
    try:
        read()
    except DomainError as error:
        return error.field
    return "page"


@pytest.mark.parametrize("cursor", TAMPERED)
def test_a_tampered_cursor_is_refused_naming_the_cursor(staff, cursor):
    with pytest.raises(DomainError) as refused:
        keyset_page(Leave.objects.all(), ("-start_date", "-pk"), cursor)
    assert refused.value.field == "cursor"
    assert refused.value.field == "cursor"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cursor=st.text(min_size=1, max_size=60))
def test_any_text_as_a_cursor_gives_a_page_or_a_cursor_error(staff, cursor):
    outcome = _outcome(lambda: keyset_page(Leave.objects.all(), ("-requested_at", "-pk"), cursor))
    assert outcome in {"page", "cursor"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.one_of(st.integers(), st.text(), st.floats(), st.booleans(), st.none()))
def test_a_cursor_of_any_json_value_for_a_date_never_breaks_the_page(staff, value):
    outcome = _outcome(
        lambda: keyset_page(Leave.objects.all(), ("start_date", "pk"), _raw([value, 1]))
    )
    assert outcome in {"page", "cursor"}


def test_a_null_sort_value_is_a_programming_error_not_a_silent_empty_page(staff):
    row = {"start_date": dt.date(2016, 12, 1), "days": Decimal(1),
           "requested_at": dt.datetime(2016, 12, 1, tzinfo=SHANGHAI),
           "kind": LeaveKind.SICK, "reason": ""}  # fmt: skip
    queryset = _store(staff, [row, row])
    with pytest.raises(ValueError, match="null"):
        keyset_page(queryset, ("decided_at", "pk"), None, size=1)


def test_a_cursor_longer_than_the_limit_is_refused_even_when_well_formed(staff):
    # given a cursor that decodes to the right number of values but is far too long
    cursor = encode_cursor(["x" * 600, 1])
    assert decode_cursor(encode_cursor(["x", 1]), 2) == ["x", 1]
    # when / then
    with pytest.raises(DomainError) as refused:
        decode_cursor(cursor, 2)
    assert refused.value.field == "cursor"
