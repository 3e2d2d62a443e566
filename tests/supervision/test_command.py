"""`manage.py supervise`: the day's cards, recorded once, withdrawn when cases close."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from govhall.cases import services as cases
from govhall.demo.loaders.supervision import load_supervision_demo
from govhall.org.models import Center
from govhall.supervision.models import Alert, Warning
from tests.supervision.conftest import accept, at, complete


def supervise(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("supervise", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def national_day(hall, passport):
    """Two passport cases (7 working days): one due Fri 2016-09-30, one due Sat 2016-10-08
    (the first working day after the National Day holidays)."""
    clerk = hall.user("clerk_x")
    before = accept(clerk, passport, at(2016, 9, 21, 10, 0))
    after = accept(clerk, passport, at(2016, 9, 22, 10, 0))
    assert (str(before.due_date), str(after.due_date)) == ("2016-09-30", "2016-10-08")
    return before, after


def levels(output: str) -> dict[str, str]:
    return {w["case_no"]: w["level"] for w in json.loads(output)["warnings"]}


def test_across_national_day_the_cards_follow_working_days(hall, national_day):
    before, after = national_day
    center = ["--center", hall.a.name]
    assert levels(supervise("--date", "2016-09-28", *center)) == {}
    assert levels(supervise("--date", "2016-09-29", *center)) == {before.number: "yellow"}
    assert levels(supervise("--date", "2016-09-30", *center)) == {
        before.number: "yellow",
        after.number: "yellow",
    }
    assert levels(supervise("--date", "2016-10-08", *center)) == {
        before.number: "red",
        after.number: "yellow",
    }
    # red supersedes the yellow of the same case; each card is recorded once
    recorded = {(w.case_id, w.level): w.status for w in Warning.objects.all()}
    assert recorded == {
        (before.pk, "yellow"): "withdrawn",
        (before.pk, "red"): "issued",
        (after.pk, "yellow"): "issued",
    }
    assert Warning.objects.get(case=before, level="yellow").withdraw_reason == "superseded"
    assert str(Warning.objects.get(case=before, level="yellow").issued_on) == "2016-09-29"


def test_the_json_has_exactly_the_contract_shape_sorted_red_first(hall, national_day, tmp_path):
    before, after = national_day
    out = tmp_path / "warnings.json"
    supervise(
        "--date", "2016-10-08", "--format", "json", "--out", str(out), "--center", hall.a.name
    )
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document == {
        "date": "2016-10-08",
        "warnings": [
            {"case_no": before.number, "unit": "公安局", "item": "普通护照签发",
             "deadline": "2016-09-30", "level": "red"},
            {"case_no": after.number, "unit": "公安局", "item": "普通护照签发",
             "deadline": "2016-10-08", "level": "yellow"},
        ],
    }  # fmt: skip
    assert "公安局" in out.read_text(encoding="utf-8")  # ensure_ascii=False


def test_running_twice_records_nothing_new_and_writes_the_same_file(
    hall, national_day, tmp_path, clerk_y
):
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    supervise("--date", "2016-10-08", "--out", str(first), "--center", hall.a.name)
    counts = (Warning.objects.count(), Alert.objects.count())
    supervise("--date", "2016-10-08", "--out", str(second), "--center", hall.a.name)
    assert (Warning.objects.count(), Alert.objects.count()) == counts == (2, 4)
    assert first.read_bytes() == second.read_bytes()


def test_the_only_center_is_the_default_and_several_need_a_name(hall, national_day):
    with pytest.raises(CommandError, match="--center"):
        supervise("--date", "2016-10-08")
    with pytest.raises(CommandError, match="不存在|No center"):
        supervise("--date", "2016-10-08", "--center", "丙政务服务中心")


def test_a_bad_date_is_refused(hall):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        supervise("--date", "2016-13-01", "--center", hall.a.name)


def test_the_text_format_is_a_table(hall, national_day):
    before, after = national_day
    text = supervise("--date", "2016-10-08", "--format", "text", "--center", hall.a.name)
    lines = text.splitlines()
    assert lines[0] == "2016-10-08  红牌 1  黄牌 1"
    assert lines[2].split() == ["级别", "办件编号", "单位", "事项", "办结期限"]
    assert lines[4].split() == ["红牌", before.number, "公安局", "普通护照签发", "2016-09-30"]
    assert lines[5].split() == ["黄牌", after.number, "公安局", "普通护照签发", "2016-10-08"]


def test_another_centers_cases_never_appear(hall, national_day, forestry):
    other = accept(hall.user("clerk_z"), forestry, at(2016, 9, 21, 10, 0))
    assert other.due_date.isoformat() == "2016-09-28"
    in_a = levels(supervise("--date", "2016-10-08", "--center", hall.a.name))
    assert other.number not in in_a
    assert not Warning.objects.filter(center=hall.b).exists()
    in_b = levels(supervise("--date", "2016-10-08", "--center", hall.b.name))
    assert in_b == {other.number: "red"}
    assert set(Warning.objects.filter(center=hall.b).values_list("case_id", flat=True)) == {
        other.pk
    }


def test_a_completed_case_has_its_cards_withdrawn_and_leaves_the_list(hall, national_day):
    before, _after = national_day
    supervise("--date", "2016-10-08", "--center", hall.a.name)
    complete(hall.user("clerk_x"), before, at(2016, 10, 9, 9, 0))
    output = supervise("--date", "2016-10-09", "--center", hall.a.name)
    assert before.number not in levels(output)
    red = Warning.objects.get(case=before, level="red")
    assert (red.status, red.withdraw_reason) == ("withdrawn", "case_closed")


def test_a_case_whose_clock_is_stopped_gets_no_card(hall, national_day):
    before, _after = national_day
    with time_machine.travel(at(2016, 9, 26, 9, 0), tick=False):
        cases.case_suspend(
            by=hall.user("clerk_x"), case=before, kind="expert_review", reason="专家评审"
        )
    assert before.number not in levels(supervise("--date", "2016-10-08", "--center", hall.a.name))


def test_a_case_accepted_after_the_day_is_not_warned_that_day(hall, passport):
    late = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))
    assert levels(supervise("--date", "2016-11-30", "--center", hall.a.name)) == {}
    assert levels(supervise("--date", "2016-12-12", "--center", hall.a.name)) == {
        late.number: "yellow"
    }


def test_alerts_go_to_the_units_staff_with_a_login_only(hall, passport, permit, clerk_y):
    office = hall.user("office_a")
    x_case = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))  # due 12-12
    y_case = accept(office, permit, at(2016, 12, 7, 9, 0))  # due 12-12
    supervise("--date", "2016-12-12", "--center", hall.a.name)
    by_user = {
        (a.user.username, a.warning.case_id)
        for a in Alert.objects.select_related("user", "warning")
    }
    assert by_user == {
        ("chief_x", x_case.pk),
        ("clerk_x", x_case.pk),
        ("clerk_y", y_case.pk),
    }
    alert = Alert.objects.filter(user=hall.user("clerk_x")).get()
    assert alert.read_at is None
    assert alert.link == f"/supervision/warnings/{alert.warning_id}/"
    assert x_case.number in alert.text


def test_the_demo_step_runs_the_check_over_december_once(hall, passport):
    Center.objects.filter(pk=hall.a.pk).update(name="随县政务服务中心")
    case = accept(hall.user("clerk_x"), passport, at(2016, 12, 1, 9, 0))  # due 12-12
    out = io.StringIO()
    load_supervision_demo(out)
    assert set(Warning.objects.filter(case=case).values_list("level", "issued_on")) == {
        ("yellow", dt.date(2016, 12, 9)),
        ("red", dt.date(2016, 12, 13)),
    }
    load_supervision_demo(out)
    assert Warning.objects.count() == 2
