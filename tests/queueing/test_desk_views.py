"""The window desk (叫号台): calling, finishing into a case or consultation, sending on,
pausing; only at a window the person is on duty at."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from govhall.cases import services as cases
from govhall.cases.models import Consultation
from govhall.org import services as org_services
from govhall.queueing.choices import TicketStatus
from govhall.queueing.models import Call, Ticket, WindowPause
from govhall.queueing.services import ticket_call_next, ticket_issue
from govhall.staffing.models import Outing
from tests.catalog.builders import publish_item
from tests.queueing.conftest import Queue, at


def take(queue: Queue, code: str = "A") -> Ticket:
    return ticket_issue(center=queue.hall.a, category=code, channel="kiosk")


def act(window: Any, action: str) -> str:
    return reverse("queueing:desk_act", args=[window.pk, action])


def shown(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_clerk_sees_their_window_and_calls_the_next_number(queue: Queue, login: Any) -> None:
    # given two numbers of category A, served by the clerk's window
    first, _second = take(queue), take(queue)
    client = login("clerk_x")
    # when the clerk opens the desk
    page = client.get(reverse("queueing:desk"))
    # then it is their window's, with two waiting
    assert page.status_code == 200
    assert page.context["window"] == queue.hall.x_window
    assert page.context["state"].waiting == 2
    # when they call the next number
    called = client.post(act(queue.hall.x_window, "call"), follow=True)
    # then the first number is at the window, one still waits
    assert any("A001" in m for m in shown(called))
    assert called.context["current"].pk == first.pk
    assert called.context["state"].waiting == 1
    assert b"A001" in called.content


def test_the_clerk_of_another_unit_gets_403_at_a_window_not_theirs(
    queue: Queue, login: Any
) -> None:
    # given a number waiting for unit Y's window
    take(queue, "B")
    client = login("clerk_x")
    # when unit X's clerk opens or calls at Y's window
    page = client.get(reverse("queueing:desk") + f"?window={queue.hall.y_window.pk}")
    call = client.post(act(queue.hall.y_window, "call"))
    pad = client.get(reverse("queueing:pad", args=[queue.hall.y_window.pk]))
    # then all are refused and nothing is called
    assert (page.status_code, call.status_code, pad.status_code) == (403, 403, 403)
    assert not Call.objects.exists()


def test_people_of_another_center_find_no_window_of_this_one(queue: Queue, login: Any) -> None:
    client = login("clerk_z")
    response = client.post(act(queue.hall.x_window, "call"))
    assert response.status_code == 404
    assert not Call.objects.exists()


def test_a_backup_may_choose_the_window_they_cover(queue: Queue, login: Any) -> None:
    # given X's chief is the B角 of Y's clerk
    org_services.post_set(by=None, primary=queue.hall.y_clerk, backup=queue.hall.x_chief)
    take(queue, "B")
    client = login("chief_x")
    # when the chief opens the desk
    page = client.get(reverse("queueing:desk"))
    # then both windows are offered, and a call at Y's window works
    assert set(page.context["choices"]) == {queue.hall.x_window, queue.hall.y_window}
    called = client.post(act(queue.hall.y_window, "call"), follow=True)
    assert called.context["window"] == queue.hall.y_window
    assert called.context["current"].number == "B001"


def test_finish_links_the_case_received_today(queue: Queue, login: Any) -> None:
    # given a called number and the case the clerk received for it
    item = publish_item(queue.hall.a, queue.hall.x, code="P001")
    user = queue.hall.user("clerk_x")
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=user)
    case = cases.case_receive(by=user, item=item, applicant_name="张三")
    client = login("clerk_x")
    # then the desk offers that case
    page = client.get(reverse("queueing:desk"))
    assert list(page.context["finish_form"].fields["case"].queryset) == [case]
    # when the clerk finishes the number into it
    client.post(
        act(queue.hall.x_window, "finish"),
        {"ticket": ticket.pk, "outcome": "case", "case": case.pk},
    )
    # then the number is served and names the case
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert ticket.case == case


def test_finish_refuses_an_unknown_case_number_in_chinese(queue: Queue, login: Any) -> None:
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    client = login("clerk_x")
    # when the clerk types a case number no case has
    response = client.post(
        act(queue.hall.x_window, "finish"),
        {"ticket": ticket.pk, "outcome": "case", "case_no": "NOPE-1"},
        follow=True,
    )
    # then the desk says so, and the number is still at the window
    assert any("NOPE-1" in m and "办件" in m for m in shown(response))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_finish_without_a_case_names_the_field(queue: Queue, login: Any) -> None:
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    response = login("clerk_x").post(
        act(queue.hall.x_window, "finish"), {"ticket": ticket.pk, "outcome": "case"}, follow=True
    )
    assert any("办件" in m for m in shown(response))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_finish_as_a_consultation_logs_it(queue: Queue, login: Any) -> None:
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    login("clerk_x").post(
        act(queue.hall.x_window, "finish"),
        {"ticket": ticket.pk, "outcome": "consultation", "topic": "护照办理流程"},
    )
    ticket.refresh_from_db()
    consultation = Consultation.objects.get()
    assert ticket.consultation == consultation
    assert consultation.topic == "护照办理流程"
    assert consultation.staff == queue.hall.x_clerk


def test_recall_skip_and_transfer_act_on_the_number_at_the_window(queue: Queue, login: Any) -> None:
    # given a number at the window
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    client = login("clerk_x")
    # when it is called again, then sent to category B
    client.post(act(queue.hall.x_window, "recall"), {"ticket": ticket.pk})
    client.post(act(queue.hall.x_window, "transfer"), {"ticket": ticket.pk, "category": queue.b.pk})
    # then it waits in B, and both acts are logged
    ticket.refresh_from_db()
    assert (ticket.status, ticket.category) == (TicketStatus.WAITING, queue.b)
    assert list(Call.objects.order_by("pk").values_list("kind", flat=True)) == [
        "call",
        "recall",
        "transfer",
    ]


def test_a_transfer_with_no_destination_is_refused(queue: Queue, login: Any) -> None:
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    response = login("clerk_x").post(
        act(queue.hall.x_window, "transfer"), {"ticket": ticket.pk}, follow=True
    )
    assert any("转移" in m or "类别" in m for m in shown(response))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_a_missed_number_goes_back_to_waiting(queue: Queue, login: Any) -> None:
    ticket = take(queue)
    ticket_call_next(window=queue.hall.x_window, by=queue.hall.user("clerk_x"))
    login("clerk_x").post(act(queue.hall.x_window, "skip"), {"ticket": ticket.pk})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.skips) == (TicketStatus.WAITING, 1)


def test_an_outing_pause_needs_a_note_then_registers_the_outing(
    queue: Queue, login: Any, clock: Any
) -> None:
    client = login("clerk_x")
    # when the clerk pauses for an outing without saying where
    refused = client.post(act(queue.hall.x_window, "pause"), {"reason": "outing"}, follow=True)
    # then the note is asked for and nothing pauses
    assert any("备注" in m or "说明" in m for m in shown(refused)), shown(refused)
    assert not WindowPause.objects.exists()
    # when they say where
    client.post(act(queue.hall.x_window, "pause"), {"reason": "outing", "note": "县政府送件"})
    # then the window pauses and the outing is registered; resuming closes both
    pause = WindowPause.objects.get()
    assert pause.outing is not None
    page = client.get(reverse("queueing:desk"))
    assert page.context["state"].pause == pause
    clock.move_to(at(9, 40))
    client.post(act(queue.hall.x_window, "resume"))
    pause.refresh_from_db()
    assert pause.ended_at is not None
    assert Outing.objects.get().back_at is not None


def test_calling_while_paused_is_refused_in_chinese(queue: Queue, login: Any) -> None:
    take(queue)
    client = login("clerk_x")
    client.post(act(queue.hall.x_window, "pause"), {"reason": "lunch"})
    response = client.post(act(queue.hall.x_window, "call"), follow=True)
    assert any("暂停" in m for m in shown(response)), shown(response)
    assert not Call.objects.exists()


def test_an_unknown_action_is_not_found(queue: Queue, login: Any) -> None:
    assert login("clerk_x").post(act(queue.hall.x_window, "explode")).status_code == 404


def test_the_cases_desk_links_to_the_calling_desk_and_back(queue: Queue, login: Any) -> None:
    client = login("clerk_x")
    cases_desk = client.get(reverse("cases:desk")).content.decode()
    calling_desk = client.get(reverse("queueing:desk")).content.decode()
    assert reverse("queueing:desk") in cases_desk
    assert reverse("cases:desk") in calling_desk


def test_the_supervisor_has_no_calling_desk(queue: Queue, login: Any) -> None:
    assert login("supervisor_a").get(reverse("queueing:desk")).status_code == 403
