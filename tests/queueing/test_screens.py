"""The hall's queue screens: the feed the screens poll, the spoken call, a window's screen and
the big screen of the day — all without a login and without anyone's personal data."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from govhall.feedback.choices import RatingLevel
from govhall.queueing import speech
from govhall.queueing.choices import PauseReason
from govhall.queueing.models import Call
from govhall.queueing.services import (
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_recall,
    ticket_skip,
    window_pause,
)
from govhall.queueing.views import screens as screen_views
from tests.catalog.builders import publish_item
from tests.factories import StaffFactory, WindowFactory
from tests.feedback.conftest import finished_case, rate
from tests.queueing.conftest import Queue, at

PHONE = "13712345678"


def take(queue: Queue, code: str = "A", **kw: Any) -> Any:
    return ticket_issue(center=queue.hall.a, category=code, channel="kiosk", **kw)


def call(queue: Queue, window: Any = None, persona: str = "clerk_x") -> Any:
    return ticket_call_next(window=window or queue.hall.x_window, by=queue.hall.user(persona))


def feed(client: Client, center: Any, after: int = 0) -> dict[str, Any]:
    response = client.get(reverse("queueing:screen_feed"), {"center": center.pk, "after": after})
    assert response.status_code == 200
    return response.json()


@pytest.fixture(autouse=True)
def _feed_answered_fresh(settings: Any) -> None:
    # Each request here reads the database; the memo has its own test.
    settings.QUEUE_FEED_MEMO_SECONDS = 0


@pytest.fixture
def passport(queue: Queue) -> Any:
    """普通护照签发 at unit X (公安局), published before today."""
    with time_machine.travel(at(8, 0), tick=False):
        return publish_item(queue.hall.a, queue.hall.x, code="P001", name="普通护照签发")


@pytest.fixture
def speech_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "speech"


# --- the feed -------------------------------------------------------------------------------


def test_the_feed_gives_the_calls_after_the_last_one_seen_newest_first(
    queue: Queue, client: Client, clock: Any
) -> None:
    # given A001 called, then the screen has seen it
    take(queue), take(queue), take(queue, "B")
    call(queue)
    seen = feed(client, queue.hall.a)["last"]
    # when A002 is called at X, B001 at Y, and A002 called again
    clock.shift(60)
    call(queue)
    second = call(queue, queue.hall.y_window, "office_a")
    ticket_recall(
        ticket=Call.objects.get(ticket__number="A002").ticket, by=queue.hall.user("clerk_x")
    )
    data = feed(client, queue.hall.a, after=seen)
    # then only the three newer announcements come, newest first, with the words to show
    assert [(c["number"], c["recall"]) for c in data["calls"]] == [
        ("A002", True),
        (second.number, False),
        ("A002", False),
    ]
    assert data["calls"][0]["text"].startswith("请 A002 号到 ")
    assert data["calls"][0]["speech"].startswith("请 A 零零二 号到 ")
    assert data["last"] == data["calls"][0]["id"]
    # and nothing new after the newest
    assert feed(client, queue.hall.a, after=data["last"])["calls"] == []


def test_a_missed_or_finished_number_is_not_announced(queue: Queue, client: Client) -> None:
    # given A001 called, then 过号
    take(queue), take(queue)
    ticket_skip(ticket=call(queue), by=queue.hall.user("clerk_x"))
    # when the screen asks
    calls = feed(client, queue.hall.a)["calls"]
    # then only the call was announced
    assert [c["number"] for c in calls] == ["A001"]


def test_the_feed_counts_the_numbers_waiting_per_category(queue: Queue, client: Client) -> None:
    # given two waiting for A (one then called) and none for B
    take(queue), take(queue)
    call(queue)
    # when
    waiting = feed(client, queue.hall.a)["waiting"]
    # then every active category is listed, in order, zero included
    assert waiting == [
        {"code": "A", "name": "户籍出入境", "count": 1},
        {"code": "B", "name": "不动产", "count": 0},
    ]


def test_another_centers_screen_sees_none_of_this_centers_calls(
    queue: Queue, client: Client
) -> None:
    take(queue)
    call(queue)
    assert feed(client, queue.hall.b)["calls"] == []


def test_the_feed_is_two_queries(
    queue: Queue, client: Client, django_assert_num_queries: Any
) -> None:
    # given a morning of calls
    for _ in range(5):
        take(queue)
    for _ in range(3):
        call(queue)
    url = reverse("queueing:screen_feed")
    # then each poll costs the calls' query and the waiting counts' query
    with django_assert_num_queries(2):
        client.get(url, {"center": queue.hall.a.pk, "after": 0})
    with django_assert_num_queries(2):
        client.get(url, {"center": queue.hall.a.pk, "after": 10**6})


def test_ten_screens_polling_together_cost_one_answer(
    queue: Queue,
    client: Client,
    settings: Any,
    monkeypatch: Any,
    django_assert_num_queries: Any,
) -> None:
    # given the feed remembered for a moment (in a memo of this test), and a call already made
    settings.QUEUE_FEED_MEMO_SECONDS = 60
    monkeypatch.setattr(screen_views, "_feed_memo", {})
    take(queue)
    call(queue)
    url = reverse("queueing:screen_feed")
    params = {"center": queue.hall.a.pk, "after": Call.objects.get().pk}
    # when ten screens ask the same question
    with django_assert_num_queries(2):
        answers = [client.get(url, params).json() for _ in range(10)]
    # then one of them reached the database, and all got the same answer
    assert all(a == answers[0] for a in answers)


def test_no_screen_shows_a_phone_number(queue: Queue, client: Client, speech_dir: Path) -> None:
    # given a number taken with a phone, called at window X whose staff have phones too
    queue.hall.x_clerk.phone = "13600001111"
    queue.hall.x_clerk.save()
    take(queue, phone=PHONE)
    ticket = call(queue)
    window = queue.hall.x_window.pk
    # when every screen is read
    pages = [
        reverse("queueing:screen"),
        reverse("queueing:screen_feed") + f"?center={queue.hall.a.pk}",
        reverse("queueing:screen_today"),
        reverse("queueing:screen_today_panel"),
        reverse("queueing:window_screen", args=[window]),
        reverse("queueing:window_screen_panel", args=[window]),
    ]
    bodies = {url: client.get(url).content.decode() for url in pages}
    # then the number shows, nobody's phone does
    assert ticket.number in bodies[pages[0]]
    for url, body in bodies.items():
        assert PHONE not in body, url
        assert "13600001111" not in body, url


# --- the spoken call ------------------------------------------------------------------------


def test_a_call_is_served_as_a_wav_and_kept_for_the_next_screen(
    queue: Queue, client: Client, speech_dir: Path
) -> None:
    # given A001 called at window X (the machine has espeak-ng: scripts/system-packages.sh)
    take(queue)
    call(queue)
    called = Call.objects.get()
    url = reverse("queueing:announce", args=[called.pk])
    # when two screens ask for its sound
    first = client.get(url, {"center": queue.hall.a.pk})
    second = client.get(url, {"center": queue.hall.a.pk})
    # then both get the same WAV, made once
    assert first.status_code == 200
    assert first["Content-Type"] == "audio/wav"
    audio = b"".join(first.streaming_content)
    assert audio[:4] == b"RIFF"
    assert audio[8:12] == b"WAVE"
    assert len(audio) > 20_000  # seconds of speech, not an empty file
    assert b"".join(second.streaming_content) == audio
    assert len(list(speech_dir.glob("*.wav"))) == 1


def test_the_wav_speaks_the_number_in_mandarin(speech_dir: Path) -> None:
    # given the call's words
    path = speech.wav_for("请 A 零一二 号到 五 号窗口办理")
    # then espeak-ng's phonemes for them are Mandarin syllables (no English "two", "one")
    program = shutil.which(speech.COMMAND)
    assert program is not None
    phonemes = subprocess.run(  # noqa: S603
        [program, "-v", speech.VOICE, "-q", "-x", "--stdin"],
        input="零一二".encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "(en)" not in phonemes
    assert path.stat().st_size > 20_000


def test_another_centers_call_is_not_announced_on_this_screen(
    queue: Queue, client: Client, speech_dir: Path
) -> None:
    # given a call in center A
    take(queue)
    call(queue)
    called = Call.objects.get()
    # when center B's screen asks for it
    response = client.get(
        reverse("queueing:announce", args=[called.pk]), {"center": queue.hall.b.pk}
    )
    # then there is no such call there
    assert response.status_code == 404


def test_without_espeak_the_server_says_speech_is_unavailable(
    queue: Queue, client: Client, speech_dir: Path, monkeypatch: Any
) -> None:
    # given a server without espeak-ng
    monkeypatch.setattr(speech, "COMMAND", "no-such-espeak-ng")
    take(queue)
    call(queue)
    called = Call.objects.get()
    # when the screen asks for the sound
    response = client.get(
        reverse("queueing:announce", args=[called.pk]), {"center": queue.hall.a.pk}
    )
    # then 503: the screen speaks with the browser's voice instead
    assert response.status_code == 503
    assert not list(speech_dir.glob("*.wav"))


def test_the_hall_screen_shows_the_newest_call_and_offers_to_turn_the_sound_on(
    queue: Queue, client: Client
) -> None:
    # given window X numbered 5, and A001 called there
    queue.hall.x_window.number = "5"
    queue.hall.x_window.save()
    take(queue)
    call(queue)
    # when the hall's screen opens
    body = client.get(reverse("queueing:screen")).content.decode()
    # then the call is written out, and the sound waits for a touch
    assert "请 A001 号到 5 号窗口办理" in body
    assert "点击开启语音播报" in body


# --- a window's screen ----------------------------------------------------------------------


def test_a_window_screen_shows_who_serves_and_the_number_at_the_desk(
    queue: Queue, client: Client
) -> None:
    # given A001 called by 钱办事 at window X
    take(queue)
    call(queue)
    # when the window's screen is read
    body = client.get(reverse("queueing:window_screen", args=[queue.hall.x_window.pk]))
    text = body.content.decode()
    # then the unit, the window, the person and their role, the number
    assert body.status_code == 200
    assert "公安局" in text
    assert "出入境窗口" in text
    assert "钱办事" in text
    assert "窗口工作人员" in text
    assert "A001" in text
    assert "暂停服务" not in text


def test_a_paused_window_screen_names_the_reason_and_the_window_covering_it(
    queue: Queue, client: Client
) -> None:
    # given a second window of 公安局 serving category A, and window X paused for lunch
    other = WindowFactory(unit=queue.hall.x, name="综合窗口", number="7")
    StaffFactory(window=other, name="周综合")
    queue.a.windows.add(other)
    window_pause(
        window=queue.hall.x_window, by=queue.hall.user("clerk_x"), reason=PauseReason.LUNCH
    )
    # when the window's screen is read
    text = client.get(reverse("queueing:window_screen", args=[queue.hall.x_window.pk])).content
    body = text.decode()
    # then it says 暂停服务, why, and where to go
    assert "暂停服务" in body
    assert "午休" in body
    assert "公安局综合窗口" in body


def test_a_paused_window_with_no_open_colleague_names_no_cover(
    queue: Queue, client: Client
) -> None:
    window_pause(
        window=queue.hall.x_window, by=queue.hall.user("clerk_x"), reason=PauseReason.LUNCH
    )
    body = client.get(reverse("queueing:window_screen", args=[queue.hall.x_window.pk])).content
    assert "暂停服务" in body.decode()
    assert "请到" not in body.decode()


def test_an_inactive_window_has_no_screen(queue: Queue, client: Client) -> None:
    queue.hall.y_window.is_active = False
    queue.hall.y_window.save()
    response = client.get(reverse("queueing:window_screen", args=[queue.hall.y_window.pk]))
    assert response.status_code == 404


# --- the big screen -------------------------------------------------------------------------


def test_the_big_screen_shows_the_days_numbers_waits_cases_and_satisfaction(
    queue: Queue, client: Client, clock: Any, passport: Any
) -> None:
    # given three numbers at 9:00; A001 called at 9:10 and finished, A002 called at 9:30
    for code in ("A", "A", "B"):
        take(queue, code)
    clock.move_to(at(9, 10))
    first = call(queue)
    clock.move_to(at(9, 30))
    ticket_finish(ticket=first, by=queue.hall.user("clerk_x"))
    call(queue)
    # and a case accepted and completed today, rated 满意
    case = finished_case(queue.hall, passport, at(9, 20))
    rate(case, RatingLevel.SATISFIED, at(9, 25))
    # and window Y paused
    window_pause(window=queue.hall.y_window, by=queue.hall.user("office_a"), reason="training")
    # when the big screen is read
    response = client.get(reverse("queueing:screen_today_panel"))
    # then
    figures = response.context["figures"]
    assert (figures.issued, figures.waiting, figures.served) == (3, 1, 1)
    assert (figures.average_wait_minutes, figures.longest_wait_minutes) == (20, 30)
    assert (figures.accepted, figures.completed) == (1, 1)
    assert (figures.ratings, figures.satisfaction) == (1, 100.0)
    assert (figures.windows_open, figures.windows_paused) == (1, 1)
    assert [h for h, _n in figures.by_hour] == list(range(8, 18))
    assert dict(figures.by_hour)[9] == 3
    body = response.content.decode()
    assert "培训" in body
    assert "100.0%" in body
