"""The printable notices: their key facts, their preconditions, and who may print them."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from govhall.cases import notices, services
from govhall.cases.models import Case
from tests.cases.conftest import at


def notice_url(case, kind):
    return f"/cases/{case.pk}/notice/{kind}/"


def receive(hall, item, name="张三"):
    return services.case_receive(
        by=hall.user("clerk_x"),
        item=item,
        applicant_name=name,
        applicant_id_number="420321198001011234",
        applicant_phone="13900001234",
    )


@pytest.fixture
def clerk(hall):
    return hall.user("clerk_x")


@pytest.fixture
def accepted_case(hall, passport, clerk):
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        return services.case_accept(by=clerk, case=receive(hall, passport))


def page(login, case, kind, persona="clerk_x", **params):
    return login(persona).get(notice_url(case, kind), params)


def assert_letterhead(html, hall):
    assert hall.a.name in html
    assert hall.x.name in html
    assert "（盖章）" in html


def test_the_receipt_states_number_item_materials_promised_date_and_lookup_hint(
    hall, login, accepted_case
):
    response = page(login, accepted_case, "receipt")
    html = response.content.decode()
    assert response.status_code == 200
    assert "受理回执" in html
    assert accepted_case.number in html
    assert "普通护照签发" in html
    assert "居民身份证" in html
    assert "近期免冠照片（2份）" in html
    assert "2016年12月8日 09:30" in html
    assert "2016年12月19日" in html  # promised date
    assert "凭受理编号和手机后四位查询进度" in html
    assert "420321********1234" in html
    assert "420321198001011234" not in html
    assert "钱办事" in html  # who accepted
    assert_letterhead(html, hall)


def test_an_immediate_case_receipt_promises_the_same_day(hall, login, on_the_spot, clerk):
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = services.case_accept(by=clerk, case=receive(hall, on_the_spot))
    html = page(login, case, "receipt").content.decode()
    assert "即办件" in html
    assert "2016年12月8日（当日办结）" in html


def test_no_receipt_before_acceptance(hall, login, passport):
    with time_machine.travel(at(2016, 12, 8, 9, 30)):
        case = receive(hall, passport)
    assert page(login, case, "receipt").status_code == 404


def test_the_supplement_notice_lists_every_material_with_the_upload_link_and_qr(
    hall, login, passport, clerk
):
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = receive(hall, passport)
        notice = services.case_request_supplement(
            by=clerk, case=case, materials=["户口簿", "近期免冠照片"], note="照片须为白底"
        )
    response = page(login, case, "supplement")
    html = response.content.decode()
    assert response.status_code == 200
    assert "补正告知书" in html
    assert "<li>户口簿</li>" in html
    assert "<li>近期免冠照片</li>" in html
    assert "第三十二条" in html
    assert "一次性告知" in html
    assert f"http://testserver/service/supplement/{notice.token}/" in html
    assert "<svg" in html
    assert "qr-code" in html
    assert "照片须为白底" in html
    assert "2016年12月5日" in html
    assert_letterhead(html, hall)


def test_the_supplement_notice_can_print_an_earlier_notice(hall, login, passport, clerk):
    with time_machine.travel(at(2016, 12, 5, 9, 0)):
        case = receive(hall, passport)
        first = services.case_request_supplement(by=clerk, case=case, materials=["户口簿"])
    with time_machine.travel(at(2016, 12, 6, 9, 0)):
        services.case_supplement_complete(by=clerk, case=case)
    with time_machine.travel(at(2016, 12, 7, 9, 0)):
        services.case_request_supplement(by=clerk, case=case, materials=["委托书"])
    latest = page(login, case, "supplement").content.decode()
    earlier = page(login, case, "supplement", n=first.pk).content.decode()
    assert "委托书" in latest
    assert "户口簿" not in latest
    assert "不计入办理时限" in latest  # asked after acceptance: the clock stops
    assert "户口簿" in earlier
    assert "委托书" not in earlier
    assert page(login, case, "supplement", n=999999).status_code == 404


def test_no_supplement_notice_without_one(hall, login, accepted_case):
    assert page(login, accepted_case, "supplement").status_code == 404


def test_the_rejection_states_the_reason_and_the_right_to_contest(hall, login, passport, clerk):
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        case = receive(hall, passport)
    with time_machine.travel(at(2016, 12, 9, 10, 0)):
        services.case_reject(by=clerk, case=case, reason="申请人户籍不在本县")
    html = page(login, case, "rejection").content.decode()
    assert "不予受理通知书" in html
    assert case.number in html
    assert "申请人户籍不在本县" in html
    assert "依法申请行政复议或者提起行政诉讼" in html
    assert "2016年12月8日" in html
    assert "2016年12月9日" in html
    assert_letterhead(html, hall)


def test_no_rejection_notice_for_an_accepted_case(hall, login, accepted_case):
    assert page(login, accepted_case, "rejection").status_code == 404


def test_the_special_procedure_notice_states_kind_reason_and_the_stopped_clock(
    hall, login, accepted_case, clerk
):
    with time_machine.travel(at(2016, 12, 12, 9, 0)):
        services.case_suspend(
            by=clerk, case=accepted_case, kind="expert_review", reason="技术方案需论证"
        )
    html = page(login, accepted_case, "suspension").content.decode()
    assert "特别程序告知书" in html
    assert "专家评审" in html
    assert "技术方案需论证" in html
    assert "第四十五条" in html
    assert "不计算在办理期限内" in html
    assert "2016年12月12日" in html
    assert_letterhead(html, hall)
    with time_machine.travel(at(2016, 12, 15, 9, 0)):
        services.case_resume(by=clerk, case=accepted_case)
    ended = page(login, accepted_case, "suspension").content.decode()
    assert "2016年12月15日" in ended
    assert "3个工作日" in ended
    assert "2016年12月22日" in ended  # 12-19 moved back by 3 working days


def test_no_special_procedure_notice_for_a_supplement_pause(hall, login, accepted_case, clerk):
    with time_machine.travel(at(2016, 12, 9, 9, 0)):
        services.case_request_supplement(by=clerk, case=accepted_case, materials=["委托书"])
    assert page(login, accepted_case, "suspension").status_code == 404


def test_the_extension_notice_states_days_new_date_and_approval(hall, login, accepted_case, clerk):
    with time_machine.travel(at(2016, 12, 14, 9, 0)):
        services.case_extend(
            by=clerk, case=accepted_case, reason="需要实地核查", approved_by="李局长", days=10
        )
    html = page(login, accepted_case, "extension").content.decode()
    assert "延期通知书" in html
    assert "10个工作日" in html
    assert "2017年1月3日" in html
    assert "李局长" in html
    assert "需要实地核查" in html
    assert "第四十二条" in html
    assert "2016年12月14日" in html
    assert_letterhead(html, hall)


def test_no_extension_notice_without_an_extension(hall, login, accepted_case):
    assert page(login, accepted_case, "extension").status_code == 404


def test_the_delivery_receipt_states_the_result_and_has_signature_lines(
    hall, login, accepted_case, clerk
):
    with time_machine.travel(at(2016, 12, 16, 15, 0)):
        services.case_complete(by=clerk, case=accepted_case, result="certificate")
    html = page(login, accepted_case, "delivery").content.decode()
    assert "送达回执" in html
    assert accepted_case.number in html
    assert "准予许可并发证" in html
    assert "护照" in html
    assert "2016年12月16日 15:00" in html
    assert "受送达人（签名）" in html
    assert_letterhead(html, hall)


def test_no_delivery_receipt_before_completion(hall, login, accepted_case):
    assert page(login, accepted_case, "delivery").status_code == 404


def test_an_unknown_notice_is_not_found(hall, login, accepted_case):
    assert page(login, accepted_case, "certificate").status_code == 404


def test_another_centers_clerk_cannot_print_a_notice(hall, login, accepted_case):
    assert page(login, accepted_case, "receipt", persona="clerk_z").status_code == 404


def test_a_supervisor_may_print_a_notice_of_the_center(hall, login, accepted_case):
    assert page(login, accepted_case, "receipt", persona="supervisor_a").status_code == 200


def test_the_case_page_offers_exactly_the_notices_the_case_supports(hall, login, accepted_case):
    html = login("clerk_x").get(f"/cases/{accepted_case.pk}/").content.decode()
    assert notice_url(accepted_case, "receipt") in html
    for kind in ("supplement", "rejection", "suspension", "extension", "delivery"):
        assert notice_url(accepted_case, kind) not in html


# --- the pure builders -------------------------------------------------------------------------


def test_builders_are_pure_functions_of_the_case(hall, accepted_case):
    case = Case.objects.select_related("center", "unit", "window", "item_version").get(
        pk=accepted_case.pk
    )
    built = notices.build("receipt", case, upload_url_for=lambda token: token)
    assert built.title == "受理回执"
    assert built.center == hall.a.name
    assert built.number == case.number
    assert built.date == "2016年12月8日"
    assert ("承诺办结日期", "2016年12月19日") in built.facts
    with pytest.raises(notices.NoticeUnavailable):
        notices.build("extension", case, upload_url_for=lambda token: token)


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("7.0"), "7"), (Decimal("0.5"), "0.5"), (10, "10")]
)
def test_days_are_written_without_a_useless_decimal(value, text):
    assert notices._days(value) == text
