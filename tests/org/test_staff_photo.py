"""A staff member's photo (for the window's rating pad and screen): uploaded on the staff form,
judged by its content, served to staff of the center only."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhall.core.models import AuditEntry

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def form_data(hall: Any, **photo: Any) -> dict[str, Any]:
    clerk = hall.x_clerk
    return {
        "name": clerk.name,
        "unit": clerk.unit_id,
        "window": clerk.window_id,
        "role": clerk.role,
        "phone": "",
        "staff_no": "",
        **photo,
    }


def test_the_office_uploads_a_photo_and_staff_see_it(hall: Any, login: Any) -> None:
    # when the office uploads a JPEG on the clerk's form
    login("office_a").post(
        reverse("org:staff_edit", args=[hall.x_clerk.pk]),
        form_data(hall, photo=SimpleUploadedFile("me.png", JPEG, content_type="image/png")),
    )
    # then it is stored under a random name of its real type, audited, and served to the clerk
    hall.x_clerk.refresh_from_db()
    assert hall.x_clerk.photo.name.endswith(".jpg")
    assert "me" not in hall.x_clerk.photo.name
    assert AuditEntry.objects.filter(action="staff.photo").exists()
    response = login("clerk_x").get(reverse("org:staff_photo", args=[hall.x_clerk.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_changes(hall: Any, login: Any) -> None:
    response = login("office_a").post(
        reverse("org:staff_edit", args=[hall.x_clerk.pk]),
        form_data(
            hall,
            name="新名字",
            photo=SimpleUploadedFile("me.jpg", b"%PDF-1.4 fake", content_type="image/jpeg"),
        ),
    )
    assert "JPEG" in " ".join(response.context["form"].errors["photo"])
    hall.x_clerk.refresh_from_db()
    assert not hall.x_clerk.photo
    assert hall.x_clerk.name != "新名字"


def test_another_centers_people_cannot_see_the_photo(hall: Any, login: Any) -> None:
    login("office_a").post(
        reverse("org:staff_edit", args=[hall.x_clerk.pk]),
        form_data(hall, photo=SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")),
    )
    response = login("clerk_z").get(reverse("org:staff_photo", args=[hall.x_clerk.pk]))
    assert response.status_code == 404
