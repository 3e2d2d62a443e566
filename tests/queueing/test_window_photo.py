"""The photo on a window's public screen: served without a login, but only the photo of the
person on duty at that window now (media are otherwise for staff: org:staff_photo)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.queueing import services
from govhall.queueing.services import ticket_issue

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _photo(staff: Any, content: bytes, name: str) -> None:
    staff.photo.save(name, SimpleUploadedFile(name, content), save=True)


def _call_as(queue: Any, username: str) -> None:
    ticket_issue(center=queue.hall.a, category="A", channel="kiosk")
    services.ticket_call_next(window=queue.hall.x_window, by=queue.hall.users[username])


def test_the_window_screen_shows_the_photo_of_who_calls_there(queue, client):
    # given both staff of the window have photos and the clerk calls the numbers today
    hall = queue.hall
    _photo(hall.x_chief, JPEG, "chief.jpg")
    _photo(hall.x_clerk, JPEG + b"clerk", "clerk.jpg")
    _call_as(queue, "clerk_x")
    # when the public screen above the window is opened, with no login
    page = client.get(reverse("queueing:window_screen", args=[hall.x_window.pk]))
    photo_url = reverse("queueing:window_photo", args=[hall.x_window.pk])
    response = client.get(photo_url)
    # then it shows the clerk's photo through the window's own route, not the media URL
    html = page.content.decode()
    assert photo_url in html
    assert hall.x_clerk.photo.url not in html
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG + b"clerk"
    assert response["Content-Type"] == "image/jpeg"


def test_a_colleague_off_duty_is_not_shown_even_with_a_photo(queue, client):
    # given the clerk calls at the window and has no photo; the chief has one
    hall = queue.hall
    _photo(hall.x_chief, JPEG, "chief.jpg")
    _call_as(queue, "clerk_x")
    # when the window's photo is asked for
    response = client.get(reverse("queueing:window_photo", args=[hall.x_window.pk]))
    # then nothing is served: the chief is not the one on duty there
    assert response.status_code == 404


def test_another_windows_staff_photo_is_never_served_at_this_window(queue, client):
    # given the 住建局 clerk, alone at their window, has a photo; the 公安局 clerk has none
    hall = queue.hall
    _photo(hall.y_clerk, JPEG, "y.jpg")
    _call_as(queue, "clerk_x")
    # when the photo of the 公安局 window is asked for, and of the 住建局 window
    here = client.get(reverse("queueing:window_photo", args=[hall.x_window.pk]))
    there = client.get(reverse("queueing:window_photo", args=[hall.y_window.pk]))
    # then it is not the other window's person; their own window serves it
    assert here.status_code == 404
    assert there.status_code == 200
    # and staff media stay behind the login
    media = client.get(reverse("org:staff_photo", args=[hall.y_clerk.pk]))
    assert media.status_code in (302, 403, 404)
