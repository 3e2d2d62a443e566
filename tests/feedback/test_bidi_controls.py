"""A complaint's one-line fields are stored without bidirectional control characters, so the
office reads the name, phone and subject in the order they were typed."""

from __future__ import annotations

import time_machine

from govhall.feedback.models import Feedback
from tests.feedback.conftest import at


def test_a_complaint_names_sender_without_the_right_to_left_override(client, hall):
    # when the public sends a complaint whose name, phone and subject hold bidi controls
    with time_machine.travel(at(2016, 11, 8, 10, 0)):
        sent = client.post(
            f"/feedback/write/?center={hall.a.pk}",
            {
                "kind": "complaint",
                "subject": "窗口\u202e态度",
                "content": "工作人员态度生硬。",
                "name": "王\u202e先生",
                "phone": "\u2066138123\u206945678",
                "website": "",
            },
        )
    # then it is stored without them
    assert sent.status_code == 302
    stored = Feedback.objects.get()
    assert (stored.name, stored.phone, stored.subject) == ("王先生", "13812345678", "窗口态度")
