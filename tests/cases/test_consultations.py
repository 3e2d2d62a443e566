"""咨询登记: one tap at the desk, the form with topic and person-times, the month's list and totals."""

from __future__ import annotations

import time_machine

from govhall.cases import services
from govhall.cases.models import Consultation
from tests.cases.conftest import at

LOG = "/cases/consultations/log/"
LIST = "/cases/consultations/"
DESK = "/cases/desk/"


def test_plus_one_at_the_desk_logs_one_person_time_and_shows_todays_count(hall, login):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        before = client.get(DESK).content.decode()
        response = client.post(LOG, {"person_times": "1", "channel": "window", "next": DESK})
        after = client.get(DESK).content.decode()
    assert response.status_code == 302
    assert response.url == DESK
    logged = Consultation.objects.get()
    assert (logged.unit, logged.staff, logged.person_times) == (hall.x, hall.x_clerk, 1)
    assert '<span class="stat" id="consultations-today">0</span>' in before
    assert '<span class="stat" id="consultations-today">1</span>' in after


def test_the_small_form_logs_a_topic_and_several_person_times(hall, login):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        client.post(
            LOG, {"topic": "护照加急办理", "person_times": "3", "channel": "phone", "next": DESK}
        )
        html = client.get(DESK).content.decode()
    logged = Consultation.objects.get()
    assert (logged.topic, logged.person_times, logged.channel) == ("护照加急办理", 3, "phone")
    assert '<span class="stat" id="consultations-today">3</span>' in html


def test_a_bad_person_times_is_refused_with_a_message(hall, login):
    client = login("clerk_x")
    response = client.post(LOG, {"person_times": "0", "channel": "window"}, follow=True)
    assert not Consultation.objects.exists()
    assert "alert-error" in response.content.decode()


def test_todays_count_excludes_yesterday_and_other_units(hall, login):
    with time_machine.travel(at(2016, 12, 7, 16, 0)):
        services.consultation_log(by=hall.user("clerk_x"), unit=hall.x, person_times=5)
    with time_machine.travel(at(2016, 12, 8, 9, 0)):
        services.consultation_log(by=hall.user("clerk_x"), unit=hall.x, person_times=2)
        services.consultation_log(by=None, unit=hall.y, person_times=7)
        html = login("clerk_x").get(DESK).content.decode()
    assert '<span class="stat" id="consultations-today">2</span>' in html


def test_the_list_shows_the_months_records_and_totals(hall, login):
    clerk = hall.user("clerk_x")
    with time_machine.travel(at(2016, 11, 30, 10, 0)):
        services.consultation_log(by=clerk, unit=hall.x, topic="十一月的咨询", person_times=4)
    with time_machine.travel(at(2016, 12, 1, 10, 0)):
        services.consultation_log(by=clerk, unit=hall.x, topic="护照办理流程", person_times=2)
    with time_machine.travel(at(2016, 12, 20, 10, 0)):
        services.consultation_log(by=clerk, unit=hall.x, topic="港澳通行证", person_times=3)
        services.consultation_log(by=None, unit=hall.y, topic="房产证", person_times=6)
    client = login("office_a")
    december = client.get(LIST, {"month": "2016-12"}).content.decode()
    assert '<span class="stat" id="month-total">11</span>' in december
    assert "护照办理流程" in december
    assert "港澳通行证" in december
    assert "十一月的咨询" not in december
    assert "2016年12月1日 10:00" in december
    assert "钱办事" in december
    by_unit = december.split("by-unit", 1)[1].split("</table>", 1)[0]
    assert by_unit.index("住建局") < by_unit.index("公安局")  # most first
    only_x = client.get(LIST, {"month": "2016-12", "unit": hall.x.pk}).content.decode()
    assert '<span class="stat" id="month-total">5</span>' in only_x
    november = client.get(LIST, {"month": "2016-11"}).content.decode()
    assert '<span class="stat" id="month-total">4</span>' in november


def test_the_list_is_scoped_to_what_the_person_may_see(hall, login):
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        services.consultation_log(by=None, unit=hall.x, topic="公安咨询", person_times=2)
        services.consultation_log(by=None, unit=hall.y, topic="住建咨询", person_times=3)
        services.consultation_log(by=None, unit=hall.z, topic="林业咨询", person_times=4)
        leader = login("leader_y").get(LIST).content.decode()
        other_center = login("clerk_z").get(LIST).content.decode()
    assert "住建咨询" in leader
    assert "公安咨询" not in leader
    assert '<span class="stat" id="month-total">3</span>' in leader
    assert "林业咨询" in other_center
    assert "公安咨询" not in other_center


def test_an_office_user_logs_for_a_chosen_unit(hall, login):
    client = login("office_a")
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        client.post(LOG, {"unit": hall.y.pk, "person_times": "2", "channel": "window"})
        client.post(LOG, {"person_times": "2", "channel": "window"})  # no unit: refused
        client.post(LOG, {"unit": hall.z.pk, "person_times": "2", "channel": "window"})  # not hers
    assert list(Consultation.objects.values_list("unit", "person_times")) == [(hall.y.pk, 2)]


def test_a_unit_leader_reads_but_cannot_log(hall, login):
    client = login("leader_y")
    assert client.get(LIST).status_code == 200
    assert client.post(LOG, {"person_times": "1", "channel": "window"}).status_code == 403
    assert not Consultation.objects.exists()


def test_the_consultations_page_costs_a_fixed_number_of_queries(
    hall, login, django_assert_num_queries
):
    client = login("clerk_x")
    with time_machine.travel(at(2016, 12, 8, 10, 0)):
        services.consultation_log(by=hall.user("clerk_x"), unit=hall.x, person_times=1)
        client.get(LIST)
        with django_assert_num_queries(12):
            client.get(LIST)
        for _ in range(5):
            services.consultation_log(by=hall.user("clerk_x"), unit=hall.x, person_times=1)
        with django_assert_num_queries(12):
            response = client.get(LIST)
    assert '<span class="stat" id="month-total">6</span>' in response.content.decode()
