"""The window screens: desk and intake, case list, case page and its actions, scoping, masking."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from govhall.cases import services
from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, CaseStep, SupplementNotice, SupplementUpload
from govhall.core.calendar import get_calendar
from govhall.core.models import AuditEntry
from tests.cases.conftest import at
from tests.catalog.builders import publish_item

ID_NUMBER = "420321198001011234"
MASKED_ID = "420321********1234"
DESK = "/cases/desk/"
INTAKE = "/cases/desk/intake/"


def receive(hall, item, persona="clerk_x", name="张三"):
    return services.case_receive(
        by=hall.user(persona),
        item=item,
        applicant_name=name,
        applicant_id_number=ID_NUMBER,
        applicant_phone="13900001234",
    )


def accepted(hall, item, persona="clerk_x", name="张三"):
    return services.case_accept(by=hall.user(persona), case=receive(hall, item, persona, name))


def material_ids(item):
    return {m.name: str(m.pk) for m in item.current.materials.all()}


def intake_data(item, ticked, action="accept", **extra):
    ids = material_ids(item)
    data = {
        "item": item.pk,
        "applicant_name": "王五",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": "13900001234",
        "channel": "window",
        "materials": [ids[name] for name in ticked],
        "action": action,
    }
    data.update(extra)
    return data


def case_url(case):
    return reverse("cases:case_detail", kwargs={"pk": case.pk})


def act_url(case, action):
    return reverse("cases:case_act", kwargs={"pk": case.pk, "action": action})


@pytest.fixture
def housing(hall):
    """A promised item of unit Y (住建局)."""
    with time_machine.travel(at(2016, 9, 1, 9, 0)):
        return publish_item(hall.a, hall.y, code="H001", name="商品房预售许可")


# --- the desk and intake -------------------------------------------------------------------


def test_intake_with_every_required_material_accepts_the_case_with_its_due_date(
    hall, login, passport
):
    # given the clerk of unit X ticks every required material
    client = login("clerk_x")
    data = intake_data(passport, ["居民身份证", "近期免冠照片"])
    # when the application is received in one tap
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        response = client.post(INTAKE, data)
    # then it is accepted at once and due 7 working days after 12-08
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case_url(case)
    assert case.status == CaseStatus.ACCEPTED
    assert case.due_date == dt.date(2016, 12, 19)
    assert case.received_by == hall.x_clerk
    assert case.window == hall.x_window
    assert case.applicant_name == "王五"


def test_intake_with_a_missing_material_offers_the_notice_prefilled_and_registers_nothing(
    hall, login, passport
):
    # given only the ID card is ticked
    client = login("clerk_x")
    # when the clerk taps 收件并受理
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        response = client.post(INTAKE, intake_data(passport, ["居民身份证"]))
    # then nothing is registered and the notice is offered with the unticked material
    assert response.status_code == 400
    assert not Case.objects.exists()
    html = response.content.decode()
    assert 'name="missing"' in html
    textarea = html.split('name="missing"', 1)[1].split("</textarea>", 1)[0]
    assert "近期免冠照片" in textarea
    assert "居民身份证" not in textarea
    assert "王五" in html  # what was typed is kept


def test_intake_with_the_supplement_button_lists_exactly_the_unticked_materials(
    hall, login, passport
):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        response = client.post(
            INTAKE, intake_data(passport, ["居民身份证"], action="supplement", missing="")
        )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == CaseStatus.SUPPLEMENTING
    assert SupplementNotice.objects.get(case=case).materials == ["近期免冠照片"]


def test_intake_supplement_uses_the_list_the_clerk_edited(hall, login, passport):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        client.post(
            INTAKE,
            intake_data(
                passport,
                ["居民身份证"],
                action="supplement",
                missing="近期免冠照片\n户口簿首页复印件\n",
            ),
        )
    assert SupplementNotice.objects.get().materials == ["近期免冠照片", "户口簿首页复印件"]


def test_intake_shows_a_service_refusal_on_its_field(hall, login, passport):
    client = login("clerk_x")
    data = intake_data(passport, ["居民身份证", "近期免冠照片"], applicant_id_number="42-03")
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        response = client.post(INTAKE, data)
    assert response.status_code == 400
    assert not Case.objects.exists()
    html = response.content.decode()
    field = html.split('id="id_applicant_id_number"', 1)[1].split("</div>", 1)[0]
    assert "errorlist" in field


def test_intake_refuses_an_item_of_another_unit(hall, login, housing):
    client = login("clerk_x")
    response = client.post(INTAKE, intake_data(housing, ["居民身份证"]))
    assert response.status_code == 302
    assert response.url == DESK
    assert not Case.objects.exists()


def test_the_desk_search_finds_the_units_items_by_pinyin_initials(hall, login, passport, housing):
    client = login("clerk_x")
    response = client.get(DESK, {"q": "pthz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "普通护照签发" in html
    # a single match is chosen at once: its materials become the checklist
    assert 'name="materials"' in html
    assert "近期免冠照片" in html
    assert "商品房预售许可" not in client.get(DESK, {"q": "sp"}).content.decode()


def test_the_desk_lists_open_cases_nearest_deadline_first_with_red_and_yellow(
    hall, login, passport, on_the_spot
):
    # given a case due long ago, one due tomorrow and one due in a week
    with time_machine.travel(at(2016, 11, 1, 9, 0)):
        late = accepted(hall, passport, name="甲超期")
    with time_machine.travel(at(2016, 11, 30, 9, 0)):
        soon = accepted(hall, passport, name="乙临近")  # due 12-09
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        fresh = accepted(hall, passport, name="丙新件")
        done = accepted(hall, on_the_spot, name="丁办结")
        services.case_complete(by=hall.user("clerk_x"), case=done, result="granted")
        waiting = receive(hall, passport, name="戊待受理")
    client = login("clerk_x")
    # when the clerk opens the desk on 12-08
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        html = client.get(DESK).content.decode()
    # then the queue runs by due date, closed cases are gone, the waiting receipt comes last
    order = [html.index(c.number) for c in (late, soon, fresh, waiting)]
    assert order == sorted(order)
    assert done.number not in html
    row_of = {c: html.split(c.number, 1)[1].split("</tr>", 1)[0] for c in (late, soon, fresh)}
    assert "badge-red" in row_of[late]
    assert "超期" in row_of[late]
    assert "badge-warn" in row_of[soon]
    assert "剩余" in row_of[soon]
    assert "badge-red" not in row_of[fresh]
    assert "badge-warn" not in row_of[fresh]
    assert "2016年12月9日" in row_of[soon]


def test_an_office_user_filters_the_desk_by_unit(hall, login, passport, housing):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        x_case = accepted(hall, passport)
        y_case = accepted(hall, housing, persona="admin")
    client = login("office_a")
    both = client.get(DESK).content.decode()
    only_y = client.get(DESK, {"unit": hall.y.pk}).content.decode()
    assert x_case.number in both
    assert y_case.number in both
    assert y_case.number in only_y
    assert x_case.number not in only_y


def test_an_office_user_receives_for_the_chosen_unit(hall, login, housing):
    client = login("office_a")
    data = intake_data(
        housing, ["居民身份证", "近期免冠照片"], unit=hall.y.pk, window=hall.y_window.pk
    )
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        response = client.post(INTAKE, data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.unit == hall.y
    assert case.window == hall.y_window
    assert case.status == CaseStatus.ACCEPTED


def test_the_desk_costs_the_same_queries_for_few_and_many_cases(
    hall, login, passport, django_assert_num_queries
):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        for _ in range(2):
            accepted(hall, passport)
        get_calendar()
        client.get(DESK)  # warm the session and the calendar
        with django_assert_num_queries(11):
            client.get(DESK)
        for _ in range(5):
            accepted(hall, passport)
        with django_assert_num_queries(11):
            response = client.get(DESK)
    assert response.content.decode().count('class="level-') == 7


# --- the case list ----------------------------------------------------------------------------


def test_the_case_list_filters_by_status_number_and_date(hall, login, passport, housing):
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        old = accepted(hall, passport, name="赵旧件")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        new = receive(hall, passport, name="钱新件")
        other = accepted(hall, housing, persona="admin", name="孙别家")
    client = login("clerk_x")
    page = client.get("/cases/list/").content.decode()
    assert old.number in page
    assert new.number in page
    assert other.number not in page  # another unit's case
    received = client.get("/cases/list/", {"status": "received"}).content.decode()
    assert new.number in received
    assert old.number not in received
    by_date = client.get(
        "/cases/list/", {"from": "2016-12-05", "to": "2016-12-08"}
    ).content.decode()
    assert new.number in by_date
    assert old.number not in by_date
    by_name = client.get("/cases/list/", {"q": "赵旧"}).content.decode()
    assert old.number in by_name
    assert new.number not in by_name
    by_number = client.get("/cases/list/", {"q": new.number}).content.decode()
    assert new.number in by_number
    assert old.number not in by_number


def test_the_case_list_pages_by_cursor_keeping_the_filters(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0), tick=False):  # 27 cases at the same moment
        numbers = [receive(hall, passport).number for _ in range(27)]
    client = login("clerk_x")
    first = client.get("/cases/list/", {"status": "received"})
    html = first.content.decode()
    assert html.count('class="level-') == 25
    assert "First page" not in html
    next_url = first.context["page"].next_cursor
    assert f"?status=received&amp;cursor={next_url}" in html  # the filter travels with the link
    second = client.get("/cases/list/", {"status": "received", "cursor": next_url})
    html = second.content.decode()
    assert html.count('class="level-') == 2
    assert 'href="?status=received"' in html  # back to the first page, same filter
    assert 'rel="next"' not in html
    shown = [row.case.number for row in first.context["rows"] + second.context["rows"]]
    assert sorted(shown) == sorted(numbers)  # every case once, none lost at the page break


def test_a_tampered_case_list_cursor_is_refused_naming_it(hall, login, passport):
    response = login("clerk_x").get("/cases/list/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "分页游标" in response.content.decode()  # the message names the page cursor


# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_shows_item_version_times_timeline_and_only_possible_actions(
    hall, login, passport
):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        html = client.get(case_url(case)).content.decode()
    assert f"/catalog/versions/{case.item_version_id}/" in html
    assert "2016年12月8日 09:00" in html
    assert "2016年12月19日" in html
    assert "收件" in html
    assert "受理" in html
    for possible in ("record_step", "suspend", "extend", "complete", "return", "withdraw", "void"):
        assert act_url(case, possible) in html
    for impossible in ("accept", "reject", "resume", "supplement_complete"):
        assert act_url(case, impossible) not in html
    assert "/notice/receipt/" in html


def test_the_case_page_costs_a_fixed_number_of_queries(
    hall, login, passport, django_assert_num_queries
):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 12, 1, 9, 0)):
        case = accepted(hall, passport)
        services.case_record_step(by=clerk, case=case, name="审核", result="通过")
    with time_machine.travel(at(2016, 12, 2, 9, 0)):
        services.case_suspend(by=clerk, case=case, kind="testing", reason="检测")
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        services.case_resume(by=clerk, case=case)
        services.case_extend(by=clerk, case=case, reason="情况复杂", approved_by="局长")
        services.case_request_supplement(by=clerk, case=case, materials=["补充说明"])
        client = login("clerk_x")
        get_calendar()
        client.get(case_url(case))
        with django_assert_num_queries(16):
            response = client.get(case_url(case))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "shows_full"),
    [("clerk_x", True), ("chief_x", True), ("leader_y", False), ("supervisor_a", False)],
)
def test_id_numbers_are_masked_for_those_who_do_not_need_them(
    hall, login, passport, housing, persona, shows_full
):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        x_case, y_case = accepted(hall, passport), accepted(hall, housing, persona="admin")
    case = y_case if persona == "leader_y" else x_case
    client = login(persona)
    pages = [
        client.get(case_url(case)).content.decode(),
        client.get("/cases/list/").content.decode(),
    ]
    for html in pages:
        assert (ID_NUMBER in html) is shows_full
        assert (MASKED_ID in html) is not shows_full


@pytest.mark.parametrize("persona", ["clerk_x", "clerk_z", "office_b", "leader_y"])
def test_a_case_outside_ones_unit_or_center_is_not_found(hall, login, housing, passport, persona):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport if persona == "leader_y" else housing, persona="admin")
    client = login(persona)
    assert client.get(case_url(case)).status_code == 404
    assert client.get(f"/cases/{case.pk}/notice/receipt/").status_code == 404


def test_a_unit_leader_cannot_act_on_a_case(hall, login, housing):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = receive(hall, housing, persona="admin")
    response = login("leader_y").post(act_url(case, "accept"))
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_another_units_clerk_cannot_act_on_a_case(hall, login, housing):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = receive(hall, housing, persona="admin")
    assert login("clerk_x").post(act_url(case, "accept")).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


# --- every action through its form ---------------------------------------------------------


def _received(hall, passport):
    return receive(hall, passport)


def _supplementing(hall, passport):
    case = receive(hall, passport)
    services.case_request_supplement(by=hall.user("clerk_x"), case=case, materials=["户口簿"])
    return case


def _accepted(hall, passport):
    return accepted(hall, passport)


def _suspended(hall, passport):
    case = accepted(hall, passport)
    services.case_suspend(by=hall.user("clerk_x"), case=case, kind="hearing", reason="听证")
    return case


ACTION_CASES = [
    ("accept", _received, {}, CaseStatus.ACCEPTED),
    ("reject", _received, {"reject-reason": "不属于本单位职权范围"}, CaseStatus.REJECTED),
    (
        "request_supplement",
        _received,
        {"request_supplement-materials": ["近期免冠照片"], "request_supplement-other": "户口簿"},
        CaseStatus.SUPPLEMENTING,
    ),
    ("supplement_complete", _supplementing, {}, CaseStatus.ACCEPTED),
    (
        "record_step",
        _accepted,
        {
            "record_step-step": "审核",
            "record_step-result": "通过",
            "record_step-opinion": "材料齐全",
        },
        CaseStatus.IN_PROGRESS,
    ),
    (
        "suspend",
        _accepted,
        {"suspend-kind": "expert_review", "suspend-reason": "组织专家评审"},
        CaseStatus.SUSPENDED,
    ),
    ("resume", _suspended, {}, CaseStatus.IN_PROGRESS),
    (
        "extend",
        _accepted,
        {"extend-days": "5", "extend-reason": "情况复杂", "extend-approved_by": "李局长"},
        CaseStatus.ACCEPTED,
    ),
    (
        "complete",
        _accepted,
        {"complete-result": "certificate", "complete-note": ""},
        CaseStatus.COMPLETED,
    ),
    ("return", _accepted, {"return-reason": "应向上级机关申请"}, CaseStatus.RETURNED),
    ("withdraw", _received, {"withdraw-reason": "申请人撤回"}, CaseStatus.WITHDRAWN),
    ("void", _received, {"void-reason": "重复登记"}, CaseStatus.VOIDED),
]


@pytest.mark.parametrize(
    ("action", "make", "data", "status"), ACTION_CASES, ids=[a[0] for a in ACTION_CASES]
)
def test_every_action_form_calls_its_service(hall, login, passport, action, make, data, status):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = make(hall, passport)
        response = login("clerk_x").post(act_url(case, action), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == status
    # supplement_complete on a waiting case is its acceptance
    logged = "accept" if action == "supplement_complete" else action
    assert case.events.filter(action=logged).exists()


def test_the_action_forms_carry_their_details_to_the_services(hall, login, passport):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
        client.post(
            act_url(case, "record_step"),
            {"record_step-other": "现场核查", "record_step-result": "属实"},
        )
        client.post(
            act_url(case, "extend"),
            {"extend-days": "5", "extend-reason": "情况复杂", "extend-approved_by": "李局长"},
        )
    step = CaseStep.objects.get(case=case)
    assert (step.name, step.result, step.handler) == ("现场核查", "属实", hall.x_clerk)
    case.refresh_from_db()
    assert case.extension.days == 5
    assert case.extension.approved_by == "李局长"
    assert case.due_date == dt.date(2016, 12, 26)  # 12-19 + 5 working days


def test_an_illegal_action_is_refused_with_a_message_and_changes_nothing(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
        services.case_complete(by=hall.user("clerk_x"), case=case, result="granted")
    audit_before = AuditEntry.objects.count()
    events_before = case.events.count()
    response = login("clerk_x").post(act_url(case, "reject"), {"reject-reason": "材料不全"})
    assert response.status_code == 400
    html = response.content.decode()
    alert = html.split('class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "alert-error" in alert
    assert case.number in alert
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.close_reason == ""
    assert AuditEntry.objects.count() == audit_before
    assert case.events.count() == events_before


def test_a_rule_refusal_shows_on_the_field_at_fault(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
    response = login("clerk_x").post(
        act_url(case, "complete"), {"complete-result": "refused", "complete-note": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    note_field = html.split('id="id_complete-note"', 1)[1].split("</div>", 1)[0]
    assert "errorlist" in note_field
    assert '<details class="action" id="act-complete" open>' in html
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_an_invalid_form_is_refused_before_the_service(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
    response = login("clerk_x").post(
        act_url(case, "extend"),
        {"extend-days": "11", "extend-reason": "情况复杂", "extend-approved_by": "李局长"},
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert not hasattr(case, "extension")


def test_an_unknown_action_is_not_found(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = accepted(hall, passport)
    assert login("clerk_x").post(act_url(case, "explode")).status_code == 404


# --- reviewing uploaded supplements ---------------------------------------------------------


def _upload(hall, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = receive(hall, passport)
        notice = services.case_request_supplement(
            by=hall.user("clerk_x"), case=case, materials=["近期免冠照片"]
        )
    return SupplementUpload.objects.create(
        notice=notice,
        material="近期免冠照片",
        file=ContentFile(b"%PDF-1.4", name="photo.pdf"),
        uploaded_at=at(2016, 12, 8, 20, 0),
    )


def test_the_window_accepts_or_asks_again_for_an_uploaded_file(
    hall, login, passport, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = _upload(hall, passport)
    client = login("clerk_x")
    url = reverse("cases:upload_review", kwargs={"pk": upload.pk})
    page = client.get(case_url(upload.notice.case)).content.decode()
    assert "近期免冠照片" in page
    assert url in page
    # asking again needs a note
    client.post(url, {"decision": "reject", "note": ""})
    upload.refresh_from_db()
    assert upload.accepted is None
    client.post(url, {"decision": "reject", "note": "照片模糊，请重新拍摄"})
    upload.refresh_from_db()
    assert (upload.accepted, upload.review_note) == (False, "照片模糊，请重新拍摄")
    client.post(url, {"decision": "accept", "note": ""})
    upload.refresh_from_db()
    assert upload.accepted is True
    assert AuditEntry.objects.filter(action="case.supplement_upload_review").count() == 2


def test_another_centers_clerk_cannot_review_an_upload(hall, login, passport, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = _upload(hall, passport)
    response = login("clerk_z").post(
        reverse("cases:upload_review", kwargs={"pk": upload.pk}), {"decision": "accept"}
    )
    assert response.status_code == 404
    upload.refresh_from_db()
    assert upload.accepted is None


# --- every input has a label ----------------------------------------------------------------


class _Labels(HTMLParser):
    """Collects form controls and the ids labels point at (or controls wrapped in a label)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str]] = []
        self.seen = 0
        self.label_for: set[str] = set()
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea"):
            kind = a.get("type", "text")
            if kind in ("hidden", "submit", "button"):
                return
            self.seen += 1
            if self.label_depth or a.get("aria-label"):
                return
            self.controls.append((a.get("name", "?"), a.get("id", "")))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self) -> list[tuple[str, str]]:
        return [(name, id_) for name, id_ in self.controls if not id_ or id_ not in self.label_for]


def test_every_input_on_the_window_screens_has_a_label(hall, login, passport, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = _upload(hall, passport)
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        accepted_case = accepted(hall, passport)
    client = login("clerk_x")
    pages = [
        client.get(DESK, {"q": "护照"}),
        client.get(case_url(accepted_case)),
        client.get(case_url(upload.notice.case)),
        client.get("/cases/list/"),
        client.get("/cases/consultations/"),
    ]
    for response in pages:
        assert response.status_code == 200
        parser = _Labels()
        parser.feed(response.content.decode())
        assert parser.seen, "the page has form controls"
        assert parser.unlabelled() == [], response.request["PATH_INFO"]
