"""Patrol sign-in (巡查签到): the screen's code changes every minute, so only a leader standing in
the hall can sign in — logged in, or by a one-time link texted to their registered phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import translation

from govhall.core.errors import DomainError
from govhall.core.models import AuditEntry
from govhall.oversight import codes, services
from govhall.oversight.choices import LinkPurpose, PatrolMethod
from govhall.oversight.models import PatrolLink, PatrolSignIn
from tests.oversight.conftest import at, fresh_ticket

NINE = at(2016, 12, 13, 9, 0, 20)


def scan(center, *, shown_at, scanned_at):
    """Scan, at `scanned_at`, the code the center's screen showed at `shown_at`."""
    minute = codes.minute_of(shown_at)
    with time_machine.travel(scanned_at, tick=False):
        return services.patrol_scan(
            center_id=center.pk, minute=minute, token=codes.code_for(center.pk, minute)
        )


# --- the code -----------------------------------------------------------------------------


def test_the_code_changes_every_minute_and_differs_between_centers(hall):
    minute = codes.minute_of(NINE)
    assert codes.code_for(hall.a.pk, minute) != codes.code_for(hall.a.pk, minute + 1)
    assert codes.code_for(hall.a.pk, minute) != codes.code_for(hall.b.pk, minute)


def test_a_code_of_the_current_or_the_previous_minute_is_accepted(hall):
    assert scan(hall.a, shown_at=NINE, scanned_at=NINE)
    assert scan(hall.a, shown_at=NINE, scanned_at=NINE + dt.timedelta(seconds=60))


def test_an_expired_code_is_refused(hall):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        scan(hall.a, shown_at=NINE, scanned_at=NINE + dt.timedelta(minutes=2))
    assert "expired" in refused.value.message


def test_a_forged_or_future_code_is_refused(hall):
    minute = codes.minute_of(NINE)
    with time_machine.travel(NINE, tick=False):
        with pytest.raises(DomainError):
            services.patrol_scan(center_id=hall.a.pk, minute=minute, token="0" * 20)
        with pytest.raises(DomainError):
            services.patrol_scan(
                center_id=hall.a.pk, minute=minute + 5, token=codes.code_for(hall.a.pk, minute + 5)
            )
        with pytest.raises(DomainError):  # another center's token with this center's id
            services.patrol_scan(
                center_id=hall.a.pk, minute=minute, token=codes.code_for(hall.b.pk, minute)
            )


# --- logged-in leaders ----------------------------------------------------------------------


def test_a_logged_in_leader_signs_in_at_the_moment_of_the_scan(hall, leaders):
    # given
    ticket = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    # when
    with time_machine.travel(NINE + dt.timedelta(minutes=2)):
        visit = services.patrol_sign_in(by=hall.user("leader_y"), ticket=ticket, notes="检查纪律")
    # then
    assert visit.leader == leaders.y_deputy
    assert visit.unit == hall.y
    assert visit.signed_in_at == NINE
    assert visit.method == PatrolMethod.QR_LOGIN
    assert visit.notes == "检查纪律"
    assert AuditEntry.objects.filter(action="patrol.sign_in", chain=hall.a.pk).exists()


def test_a_scan_older_than_ten_minutes_no_longer_signs_in(hall, leaders):
    ticket = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    with time_machine.travel(NINE + dt.timedelta(minutes=11)), pytest.raises(DomainError):
        services.patrol_sign_in(by=hall.user("leader_y"), ticket=ticket)
    assert not PatrolSignIn.objects.exists()


def test_a_code_from_another_center_is_refused(hall, leaders):
    ticket = scan(hall.b, shown_at=NINE, scanned_at=NINE)
    with time_machine.travel(NINE), pytest.raises(DomainError) as refused:
        services.patrol_sign_in(by=hall.user("leader_y"), ticket=ticket)
    assert refused.value.field == "code"
    assert not PatrolSignIn.objects.exists()


def test_a_forged_ticket_is_refused(hall, leaders):
    with time_machine.travel(NINE), pytest.raises(DomainError):
        services.patrol_sign_in(by=hall.user("leader_y"), ticket="not-a-ticket")


@pytest.mark.parametrize("persona", ["office_a", "chief_x", "clerk_x"])
def test_an_account_not_registered_as_a_leader_cannot_sign_in(hall, leaders, persona):
    ticket = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    with time_machine.travel(NINE), pytest.raises(DomainError):
        services.patrol_sign_in(by=hall.user(persona), ticket=ticket)


def test_signing_in_twice_the_same_day_is_refused_until_signed_out(hall, leaders):
    leader = hall.user("leader_y")
    first = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    again = scan(
        hall.a, shown_at=NINE + dt.timedelta(hours=1), scanned_at=NINE + dt.timedelta(hours=1)
    )
    with time_machine.travel(NINE):
        services.patrol_sign_in(by=leader, ticket=first)
    with time_machine.travel(NINE + dt.timedelta(hours=1)), pytest.raises(DomainError):
        services.patrol_sign_in(by=leader, ticket=again)


def test_signing_out_records_the_time_in_the_hall(hall, leaders):
    # given
    leader = hall.user("leader_y")
    with time_machine.travel(NINE):
        services.patrol_sign_in(by=leader, ticket=scan(hall.a, shown_at=NINE, scanned_at=NINE))
    leaving = NINE + dt.timedelta(hours=2, minutes=35)
    # when
    ticket = scan(hall.a, shown_at=leaving, scanned_at=leaving)
    with time_machine.travel(leaving):
        visit = services.patrol_sign_out(by=leader, ticket=ticket, notes="窗口秩序良好")
    # then
    assert visit.signed_out_at == leaving
    assert visit.minutes == 155
    assert visit.duration == dt.timedelta(hours=2, minutes=35)
    assert visit.leaving_notes == "窗口秩序良好"


def test_signing_out_with_the_scan_that_signed_in_is_refused(hall, leaders):
    leader = hall.user("leader_y")
    ticket = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    with time_machine.travel(NINE):
        services.patrol_sign_in(by=leader, ticket=ticket)
        with pytest.raises(DomainError):
            services.patrol_sign_out(by=leader, ticket=ticket)


def test_signing_out_without_signing_in_is_refused(hall, leaders):
    ticket = scan(hall.a, shown_at=NINE, scanned_at=NINE)
    with time_machine.travel(NINE), pytest.raises(DomainError):
        services.patrol_sign_out(by=hall.user("leader_y"), ticket=ticket)


def test_a_visit_never_signed_out_does_not_block_the_next_days_sign_in(hall, leaders):
    leader = hall.user("leader_y")
    tomorrow = NINE + dt.timedelta(days=1)
    with time_machine.travel(NINE):
        services.patrol_sign_in(by=leader, ticket=scan(hall.a, shown_at=NINE, scanned_at=NINE))
    with time_machine.travel(tomorrow):
        services.patrol_sign_in(
            by=leader, ticket=scan(hall.a, shown_at=tomorrow, scanned_at=tomorrow)
        )
    assert PatrolSignIn.objects.filter(signed_out_at__isnull=True).count() == 2


# --- leaders without a login: one-time links by text message --------------------------------


def link_in(message) -> str:
    return re.search(r"/oversight/patrol/c/([A-Za-z0-9_-]+)/", message.text).group(1)


def request_link(hall, leader, *, purpose=LinkPurpose.SIGN_IN, when=NINE, notes=""):
    ticket = scan(hall.a, shown_at=when, scanned_at=when)
    with time_machine.travel(when):
        return services.patrol_link_request(
            leader=leader,
            ticket=ticket,
            purpose=purpose,
            notes=notes,
            base_url="https://hall.test/",
        )


def test_a_leader_without_login_gets_a_link_on_the_registered_phone(hall, leaders, outbox):
    # when
    request_link(hall, leaders.x_deputy, notes="巡查出入境窗口")
    # then
    assert len(outbox) == 1
    assert outbox[0].phone == "13900003333"
    assert "https://hall.test/oversight/patrol/c/" in outbox[0].text
    assert not PatrolSignIn.objects.exists()  # nothing until the link is opened


def test_confirming_the_link_signs_in_at_the_time_of_the_scan(hall, leaders, outbox):
    # given
    request_link(hall, leaders.x_deputy, notes="巡查出入境窗口")
    # when
    with time_machine.travel(NINE + dt.timedelta(minutes=3)):
        visit = services.patrol_link_confirm(token=link_in(outbox[0]))
    # then
    assert visit.leader == leaders.x_deputy
    assert visit.signed_in_at == NINE
    assert visit.method == PatrolMethod.QR_SMS
    assert visit.notes == "巡查出入境窗口"


def test_a_wrong_link_is_refused(hall, leaders, outbox):
    request_link(hall, leaders.x_deputy)
    with time_machine.travel(NINE), pytest.raises(DomainError) as refused:
        services.patrol_link_confirm(token=link_in(outbox[0])[:-2] + "xx")
    assert refused.value.field == "token"
    assert not PatrolSignIn.objects.exists()


def test_a_link_works_once(hall, leaders, outbox):
    request_link(hall, leaders.x_deputy)
    token = link_in(outbox[0])
    with time_machine.travel(NINE):
        services.patrol_link_confirm(token=token)
        with pytest.raises(DomainError):
            services.patrol_link_confirm(token=token)
    assert PatrolSignIn.objects.count() == 1


def test_an_expired_link_is_refused(hall, leaders, outbox):
    request_link(hall, leaders.x_deputy)
    with time_machine.travel(NINE + dt.timedelta(minutes=11)), pytest.raises(DomainError):
        services.patrol_link_confirm(token=link_in(outbox[0]))
    assert not PatrolSignIn.objects.exists()


def test_a_link_signs_out_too(hall, leaders, outbox):
    request_link(hall, leaders.x_deputy)
    with time_machine.travel(NINE):
        services.patrol_link_confirm(token=link_in(outbox[0]))
    leaving = NINE + dt.timedelta(hours=3)
    request_link(hall, leaders.x_deputy, purpose=LinkPurpose.SIGN_OUT, when=leaving)
    with time_machine.travel(leaving):
        visit = services.patrol_link_confirm(token=link_in(outbox[1]))
    assert visit.minutes == 180


def test_a_link_for_a_leader_of_another_center_is_refused(hall, leaders, outbox):
    with pytest.raises(DomainError):
        request_link(hall, leaders.z_deputy)
    assert outbox == []


def test_a_leader_without_a_phone_gets_no_link(hall, leaders, outbox):
    services.unit_leader_update(by=None, leader=leaders.x_deputy, phone="")
    with pytest.raises(DomainError) as refused:
        request_link(hall, leaders.x_deputy)
    assert refused.value.field == "leader"
    assert outbox == []


def test_a_phone_gets_at_most_three_links_in_ten_minutes(hall, leaders, outbox):
    for _ in range(3):
        request_link(hall, leaders.x_deputy)
    with pytest.raises(DomainError):
        request_link(hall, leaders.x_deputy)
    assert len(outbox) == 3
    assert PatrolLink.objects.count() == 3


def test_only_a_hash_of_the_link_is_stored(hall, leaders, outbox):
    request_link(hall, leaders.x_deputy)
    token = link_in(outbox[0])
    assert not PatrolLink.objects.filter(token_hash__contains=token).exists()


def test_a_failing_gateway_sends_nothing_and_keeps_no_link(hall, leaders, settings):
    settings.GOVHALL_SMS_BACKEND = "tests.oversight.test_patrol.BrokenBackend"
    with pytest.raises(DomainError):
        request_link(hall, leaders.x_deputy)
    assert not PatrolLink.objects.exists()


class BrokenBackend:
    def send(self, phone: str, text: str) -> None:
        from govhall.oversight.sms import SmsError

        raise SmsError("gateway down")


def test_the_console_backend_prints_the_message(capsys, settings):
    from govhall.oversight import sms

    settings.GOVHALL_SMS_BACKEND = sms.DEFAULT_BACKEND
    sms.send_sms("13900000000", "测试链接")
    assert "13900000000" in capsys.readouterr().err


def test_fresh_ticket_helper_signs_in_now(hall, leaders):
    visit = services.patrol_sign_in(by=hall.user("leader_y"), ticket=fresh_ticket(hall.a))
    assert visit.pk


def test_a_misspelt_field_in_a_leader_update_is_refused_not_ignored(hall, leaders):
    # "telephone" is no field of a leader: the update says so instead of saving nothing
    with pytest.raises(TypeError, match="telephone"):
        services.unit_leader_update(by=None, leader=leaders.x_deputy, telephone="13900000000")
    services.unit_leader_update(by=None, leader=leaders.x_deputy, title="副局长")
    leaders.x_deputy.refresh_from_db()
    assert leaders.x_deputy.title == "副局长"
