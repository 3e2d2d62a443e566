"""import_data cases|consultations: a hall's history as it was, every bad row named, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from govhall.cases import services
from govhall.cases.choices import CaseSource, CaseStatus, Result
from govhall.cases.history import TIME_FORMAT
from govhall.cases.models import Case, CaseEvent, Consultation
from govhall.core.audit import verify_all
from govhall.core.imports import ImportFailed, run_import
from govhall.core.models import AuditEntry
from tests.cases.conftest import at

CASES = "受理编号,事项编码,申请人,联系电话,受理人,受理时间,办结时间,状态"
CONSULTATIONS = "单位,受理人,咨询时间,人次,内容"


def write_csv(tmp_path: Path, header: str, lines: list[str], name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\n".join([header, *lines]) + "\n").encode("utf-8"))
    return path


def write_xlsx(tmp_path: Path, header: str, lines: list[str], name: str = "file.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header.split(","))
    for line in lines:
        sheet.append(line.split(","))
    path = tmp_path / name
    workbook.save(path)
    return path


def import_cases(hall, path: Path, by=None):
    return run_import(kind="cases", path=path, center=hall.a, by=by)


def refusals(hall, path: Path, kind: str = "cases") -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ImportFailed) as failed:
        run_import(kind=kind, path=path, center=hall.a)
    return [(p.row, p.column, p.message) for p in failed.value.problems]


def places(problems) -> list[tuple[int | None, str | None]]:
    return [(row, column) for row, column, _message in problems]


def imports_audited(action: str = "case.import") -> int:
    return AuditEntry.objects.filter(action=action).count()


@pytest.fixture
def history(passport, on_the_spot):
    """One row of each status: 钱办事 (of 公安局, the items' unit) accepted them all."""
    return [
        "H001,P001,王建华,13900001111,钱办事,2016-12-01 09:30,2016-12-08 10:00,已办结",
        "H002,I001,李秀英,13900002222,钱办事,2016-12-01 10:05,2016-12-01 10:20,已办结",
        "H003,P001,随县厉山商贸有限公司,0722-4321001,赵首席,2016-12-20 15:00,,已受理",
        "H004,P001,张志强,,钱办事,2016-12-21 09:00,,办理中",
        "H005,P001,刘海涛,13900003333,钱办事,2016-12-22 11:00,,不予受理",
        "H006,P001,陈玉兰,13900004444,赵首席,2016-12-05 14:40,2016-12-06 09:00,退件",
    ]


# --- cases: the happy path ------------------------------------------------------------------------


def test_a_csv_of_cases_is_written_as_the_history_it_was(hall, history, passport, tmp_path):
    # when
    result = import_cases(hall, write_csv(tmp_path, CASES, history), by=hall.user("admin"))
    # then
    assert (result.rows, result.created, result.updated) == (6, 6, 0)
    cases = {c.number: c for c in Case.objects.filter(center=hall.a)}
    assert set(cases) == {"H001", "H002", "H003", "H004", "H005", "H006"}
    assert {c.source for c in cases.values()} == {CaseSource.IMPORT}
    done = cases["H001"]
    assert done.item == passport
    assert done.item_version == passport.current
    assert (done.handling_type, done.promised_days) == ("promised", 7)
    assert done.status == CaseStatus.COMPLETED
    assert done.result == Result.GRANTED
    assert done.received_at == done.accepted_at == at(2016, 12, 1, 9, 30)
    assert done.completed_at == done.closed_at == at(2016, 12, 8, 10, 0)
    assert done.accepted_by == done.completed_by == done.received_by == hall.x_clerk
    assert done.window == hall.x_window
    assert (done.applicant_name, done.applicant_phone) == ("王建华", "13900001111")
    assert done.unit == hall.x


def test_each_status_closes_the_case_as_the_lifecycle_would(hall, history, tmp_path):
    # when
    import_cases(hall, write_csv(tmp_path, CASES, history))
    # then
    cases = {c.number: c for c in Case.objects.filter(center=hall.a)}
    assert cases["H002"].handling_type == "immediate"
    assert cases["H002"].completed_at == at(2016, 12, 1, 10, 20)
    accepted, working = cases["H003"], cases["H004"]
    assert (accepted.status, working.status) == (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS)
    assert accepted.completed_at is None
    assert accepted.closed_at is None
    assert accepted.accepted_by == hall.x_chief
    assert accepted.applicant_name == "随县厉山商贸有限公司"
    assert working.applicant_phone == ""
    refused = cases["H005"]
    assert refused.status == CaseStatus.REJECTED
    assert refused.accepted_at is None
    assert refused.due_date is None
    assert refused.closed_at == refused.received_at == at(2016, 12, 22, 11, 0)
    returned = cases["H006"]
    assert returned.status == CaseStatus.RETURNED
    assert returned.accepted_at == at(2016, 12, 5, 14, 40)
    assert returned.closed_at == at(2016, 12, 6, 9, 0)
    assert returned.completed_at is None  # a returned application is never counted as completed


def test_a_refusal_exported_with_its_decision_time_is_refused_at_that_time(
    hall, passport, tmp_path
):
    # given: the hall's old system writes the time of the 不予受理 decision in 办结时间
    line = "R001,P001,刘海涛,,钱办事,2016-12-22 11:00,2016-12-23 15:30,不予受理"
    # when
    import_cases(hall, write_csv(tmp_path, CASES, [line]))
    # then
    refused = Case.objects.get(number="R001")
    assert refused.status == CaseStatus.REJECTED
    assert refused.received_at == at(2016, 12, 22, 11, 0)
    assert refused.closed_at == at(2016, 12, 23, 15, 30)
    assert refused.accepted_at is None
    event = CaseEvent.objects.get(case=refused)
    assert (event.action, event.at) == ("reject", at(2016, 12, 23, 15, 30))


def test_a_refusal_decided_before_it_was_received_is_refused_naming_row_and_field(
    hall, passport, tmp_path
):
    # given
    lines = [GOOD, "R001,P001,刘海涛,,钱办事,2016-12-22 11:00,2016-12-21 15:30,不予受理"]
    # when
    problems = refusals(hall, write_csv(tmp_path, CASES, lines))
    # then
    assert places(problems) == [(3, "办结时间")]
    assert "受理时间" in problems[0][2]
    assert not Case.objects.exists()


def test_imported_cases_have_a_timeline_for_the_progress_lookup(hall, history, tmp_path):
    # when
    import_cases(hall, write_csv(tmp_path, CASES, history))
    # then
    timeline = {
        number: list(
            CaseEvent.objects.filter(case__number=number).values_list("action", "at", "by_name")
        )
        for number in ("H001", "H003", "H005", "H006")
    }
    assert timeline["H001"] == [
        ("accept", at(2016, 12, 1, 9, 30), "钱办事"),
        ("complete", at(2016, 12, 8, 10, 0), "钱办事"),
    ]
    assert timeline["H003"] == [("accept", at(2016, 12, 20, 15, 0), "赵首席")]
    assert timeline["H005"] == [("reject", at(2016, 12, 22, 11, 0), "钱办事")]
    assert [action for action, _at, _by in timeline["H006"]] == ["accept", "return"]


def test_one_audit_entry_records_the_whole_file_with_its_fingerprint(hall, history, tmp_path):
    # when
    import_cases(hall, write_csv(tmp_path, CASES, history), by=hall.user("admin"))
    # then
    entry = AuditEntry.objects.get(action="case.import")
    rows = [line.split(",") for line in history]
    canonical = "".join(
        json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows
    )
    assert entry.after["count"] == 6
    assert (entry.after["first"], entry.after["last"]) == ("H001", "H006")
    assert entry.after["sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert entry.actor_name == "admin"
    assert not AuditEntry.objects.filter(action__in=["case.accept", "case.complete"]).exists()
    assert verify_all()[1] == []


def test_an_xlsx_of_cases_is_read_from_its_first_sheet(hall, history, tmp_path):
    # when
    result = import_cases(hall, write_xlsx(tmp_path, CASES, history))
    # then
    assert result.created == 6
    assert Case.objects.get(number="H001").completed_at == at(2016, 12, 8, 10, 0)


def test_xlsx_cells_holding_real_times_and_numbers_are_read_as_written(hall, passport, tmp_path):
    # given: a spreadsheet where Excel turned the times into dates and the number into an int
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(CASES.split(","))
    sheet.append(
        [
            201612080010001,
            "P001",
            "王建华",
            13900001111,
            "钱办事",
            dt.datetime(2016, 12, 8, 9, 30),  # noqa: DTZ001 (cells carry no zone)
            dt.datetime(2016, 12, 9, 16, 5),  # noqa: DTZ001
            "已办结",
        ]
    )
    path = tmp_path / "excel.xlsx"
    workbook.save(path)
    # when
    import_cases(hall, path)
    # then
    case = Case.objects.get(number="201612080010001")
    assert (case.accepted_at, case.completed_at) == (at(2016, 12, 8, 9, 30), at(2016, 12, 9, 16, 5))
    assert case.applicant_phone == "13900001111"


def test_the_command_imports_a_file_and_reports_what_it_did(hall, history, tmp_path):
    out = StringIO()
    # when
    call_command(
        "import_data",
        "cases",
        str(write_csv(tmp_path, CASES, history)),
        center=hall.a.name,
        stdout=out,
    )
    # then
    assert Case.objects.filter(center=hall.a).count() == 6
    assert "6" in out.getvalue()


# --- cases: deadlines as the lifecycle sets them ----------------------------------------------------


@pytest.mark.parametrize(
    ("item_code", "accepted"),
    [
        ("P001", (2016, 9, 30, 10, 0)),  # across the National Day holiday
        ("P001", (2016, 12, 30, 16, 0)),  # across the New Year holiday (2017-01-01, 02)
        ("P001", (2016, 10, 8, 9, 0)),  # an adjusted working Saturday
        ("I001", (2016, 12, 8, 10, 0)),  # immediate: due when the hall closes that day
        ("I001", (2016, 12, 30, 17, 45)),  # immediate after closing: the next working day
    ],
)
def test_imported_deadlines_equal_those_the_lifecycle_sets(
    hall, passport, on_the_spot, tmp_path, item_code, accepted
):
    # given: the same item accepted at the same moment through the services
    item = {"P001": passport, "I001": on_the_spot}[item_code]
    with time_machine.travel(at(*accepted)):
        live = services.case_receive(by=hall.user("clerk_x"), item=item, applicant_name="张三")
        live = services.case_accept(by=hall.user("clerk_x"), case=live)
    moment = at(*accepted).strftime(TIME_FORMAT)
    path = write_csv(tmp_path, CASES, [f"IMP1,{item_code},李四,,钱办事,{moment},,已受理"])
    # when
    import_cases(hall, path)
    # then
    imported = Case.objects.get(number="IMP1")
    assert imported.due_at is not None
    assert (imported.due_at, imported.due_date) == (live.due_at, live.due_date)


def test_a_promised_case_accepted_before_national_day_is_due_after_it(hall, passport, tmp_path):
    # when
    import_cases(
        hall, write_csv(tmp_path, CASES, ["N1,P001,李四,,钱办事,2016-09-30 10:00,,已受理"])
    )
    # then: 7 working days after Fri 09-30: 10-08, 09, 10, 11, 12, 13, 14
    assert Case.objects.get(number="N1").due_date == dt.date(2016, 10, 14)


def test_numbers_in_the_lifecycle_form_move_the_days_counter_past_them(hall, passport, tmp_path):
    # given: an imported case numbered as the lifecycle numbers, fifth of its unit that day
    number = f"20161208{hall.x.pk % 1000:03d}0005"
    import_cases(
        hall, write_csv(tmp_path, CASES, [f"{number},P001,李四,,钱办事,2016-12-08 09:00,,已受理"])
    )
    # when
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        case = services.case_receive(by=hall.user("clerk_x"), item=passport, applicant_name="张三")
    # then
    assert case.number == f"20161208{hall.x.pk % 1000:03d}0006"


# --- cases: refusals ---------------------------------------------------------------------------------

GOOD = "G001,P001,王建华,13900001111,钱办事,2016-12-01 09:30,2016-12-08 10:00,已办结"


@pytest.mark.parametrize(
    ("bad", "column", "names"),
    [
        ("B001,X999,王建华,,钱办事,2016-12-01 09:30,,已受理", "事项编码", "X999"),
        ("B001,P001,王建华,,孙房产,2016-12-01 09:30,,已受理", "受理人", "孙房产"),
        ("B001,P001,王建华,,无此人,2016-12-01 09:30,,已受理", "受理人", "无此人"),
        ("B001,P001,王建华,,钱办事,2016/12/01 9:30,,已受理", "受理时间", "2016/12/01 9:30"),
        ("B001,P001,王建华,,钱办事,2016-12-01,,已受理", "受理时间", "2016-12-01"),
        (
            "B001,P001,王建华,,钱办事,2016-12-01 09:30,2016-13-01 10:00,已办结",
            "办结时间",
            "2016-13-01",
        ),
        ("B001,P001,王建华,,钱办事,2016-12-08 09:30,2016-12-01 10:00,已办结", "办结时间", ""),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,,已办结", "办结时间", "已办结"),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,,退件", "办结时间", "退件"),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,2016-12-08 10:00,已受理", "办结时间", "已受理"),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,2016-12-08 10:00,办理中", "办结时间", "办理中"),
        (
            "B001,P001,王建华,,钱办事,2016-12-01 09:30,2016-11-30 16:00,不予受理",
            "办结时间",
            "受理时间",
        ),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,2016-12-01 08:00,退件", "办结时间", "受理时间"),
        ("B001,P001,王建华,1390000,钱办事,2016-12-01 09:30,,已受理", "联系电话", "1390000"),
        ("B001,P001,王建华,,钱办事,2016-12-01 09:30,,已完成", "状态", "已完成"),
        ("B001,P001,,,钱办事,2016-12-01 09:30,,已受理", "申请人", ""),
        (",P001,王建华,,钱办事,2016-12-01 09:30,,已受理", "受理编号", ""),
        ("B001,P001,王建华,,,2016-12-01 09:30,,已受理", "受理人", ""),
        ("B001,P001,王建华,,钱办事,,,已受理", "受理时间", ""),
        ("G001,P001,李四,,钱办事,2016-12-02 09:30,,已受理", "受理编号", "2"),  # repeats row 2
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_column_and_nothing_is_written(
    hall, passport, tmp_path, bad, column, names
):
    # when
    problems = refusals(hall, write_csv(tmp_path, CASES, [GOOD, bad]))
    # then
    assert places(problems) == [(3, column)]
    assert names in problems[0][2]
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert imports_audited() == 0


def test_a_number_already_in_the_center_is_refused(hall, passport, tmp_path):
    # given
    import_cases(hall, write_csv(tmp_path, CASES, [GOOD], name="first.csv"))
    # when
    problems = refusals(
        hall, write_csv(tmp_path, CASES, ["N002,P001,李四,,钱办事,2016-12-02 09:30,,已受理", GOOD])
    )
    # then
    assert places(problems) == [(3, "受理编号")]
    assert "G001" in problems[0][2]
    assert Case.objects.count() == 1
    assert imports_audited() == 1


def test_the_same_number_in_another_center_is_no_conflict(hall, passport, tmp_path):
    # given: center B already has a case G001 (imported there)
    from tests.catalog.builders import publish_item

    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        publish_item(hall.b, hall.z, code="P001", name="林木采伐许可证核发")
    run_import(
        kind="cases",
        path=write_csv(tmp_path, CASES, [GOOD.replace("钱办事", "李林业")], name="b.csv"),
        center=hall.b,
    )
    # when
    import_cases(hall, write_csv(tmp_path, CASES, [GOOD]))
    # then
    assert Case.objects.filter(number="G001").count() == 2


def test_every_bad_row_of_a_file_is_reported_at_once(hall, passport, tmp_path):
    # given
    lines = [
        GOOD,
        "B002,X999,王建华,,钱办事,2016-12-01 09:30,,已受理",
        "B003,P001,王建华,12345,钱办事,2016-12-01 9点,,已受理",
        GOOD,
    ]
    # when
    problems = refusals(hall, write_csv(tmp_path, CASES, lines))
    # then
    assert places(problems) == [
        (3, "事项编码"),
        (4, "联系电话"),
        (4, "受理时间"),
        (5, "受理编号"),
    ]
    assert not Case.objects.exists()


def test_a_file_without_a_required_column_is_refused(hall, passport, tmp_path):
    header = CASES.replace(",状态", "")
    problems = refusals(hall, write_csv(tmp_path, header, [GOOD.rsplit(",", 1)[0]]))
    assert places(problems) == [(1, "状态")]


def test_the_command_names_each_problem_and_writes_nothing(hall, passport, tmp_path):
    path = write_csv(tmp_path, CASES, [GOOD, "B002,X999,王建华,,钱办事,2016-12-01 09:30,,已受理"])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "cases", str(path), center=hall.a.name, stderr=err)
    assert "X999" in err.getvalue()
    assert "事项编码" in err.getvalue()
    assert not Case.objects.exists()


def test_a_large_file_is_written_with_a_fixed_number_of_queries(
    hall, passport, on_the_spot, tmp_path, django_assert_max_num_queries
):
    # given: 3,000 cases over December
    lines = []
    for n in range(3000):
        day = dt.date(2016, 12, 1) + dt.timedelta(days=n % 28)
        item, status, done = ("I001", "已办结", f"{day} 10:30") if n % 3 else ("P001", "已受理", "")
        lines.append(f"L{n:05d},{item},申请人{n},,钱办事,{day} 10:00,{done},{status}")
    path = write_csv(tmp_path, CASES, lines)
    # when
    with django_assert_max_num_queries(40):
        result = import_cases(hall, path)
    # then
    assert result.created == 3000
    assert CaseEvent.objects.count() == 3000 + 2000


# --- consultations ------------------------------------------------------------------------------------


def test_a_csv_of_consultations_is_imported_in_person_times(hall, tmp_path):
    lines = [
        "公安局,钱办事,2016-12-08 09:10,3,护照办理材料",
        "公安局,,2016-12-08 15:00,1,",
        "住建局,孙房产,2016-12-09 10:00,,二手房过户流程",
    ]
    # when
    result = run_import(
        kind="consultations", path=write_csv(tmp_path, CONSULTATIONS, lines), center=hall.a
    )
    # then
    assert result.created == 3
    rows = list(
        Consultation.objects.order_by("at").values_list(
            "unit", "staff", "at", "person_times", "topic"
        )
    )
    assert rows == [
        (hall.x.pk, hall.x_clerk.pk, at(2016, 12, 8, 9, 10), 3, "护照办理材料"),
        (hall.x.pk, None, at(2016, 12, 8, 15, 0), 1, ""),
        (hall.y.pk, hall.y_clerk.pk, at(2016, 12, 9, 10, 0), 1, "二手房过户流程"),
    ]
    entry = AuditEntry.objects.get(action="consultation.import")
    assert (entry.after["count"], entry.after["person_times"]) == (3, 5)


def test_an_xlsx_of_consultations_is_imported(hall, tmp_path):
    path = write_xlsx(tmp_path, CONSULTATIONS, ["林业局,,2016-12-08 09:10,2,采伐证"])
    with pytest.raises(ImportFailed):  # 林业局 is center B's: unknown in center A
        run_import(kind="consultations", path=path, center=hall.a)
    result = run_import(kind="consultations", path=path, center=hall.b)
    assert result.created == 1
    assert Consultation.objects.get().unit == hall.z


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ("无此单位,,2016-12-08 09:10,1,", "单位"),
        ("公安局,孙房产,2016-12-08 09:10,1,", "受理人"),
        ("公安局,,2016-12-08,1,", "咨询时间"),
        ("公安局,,,1,", "咨询时间"),
        ("公安局,,2016-12-08 09:10,0,", "人次"),
        ("公安局,,2016-12-08 09:10,两人,", "人次"),
        ("公安局,,2016-12-08 09:10,1000,", "人次"),
        (",,2016-12-08 09:10,1,", "单位"),
        ("公安局,,2016-12-08 09:10,1," + "长" * 401, "内容"),
    ],
)
def test_a_bad_consultation_row_is_refused_and_nothing_is_written(hall, tmp_path, bad, column):
    lines = ["公安局,钱办事,2016-12-08 09:10,3,护照", bad]
    problems = refusals(hall, write_csv(tmp_path, CONSULTATIONS, lines), kind="consultations")
    assert places(problems) == [(3, column)]
    assert not Consultation.objects.exists()
    assert imports_audited("consultation.import") == 0
