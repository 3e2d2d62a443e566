"""Labels name what they stand for: a complaint's submitter is not a start date, a rating's
comment is not a review note, a campaign has a 名称 and not a 姓名."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from govhall.catalog.models import ReviewCampaign
from govhall.feedback.models import Feedback, Rating
from govhall.oversight.models import Inspection
from govhall.staffing.models import Leave


@pytest.fixture
def demo(demo_center):
    return demo_center


def _page(client: Any, username: str, url: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_complaint_names_its_submitter_not_a_start_date(client, demo):
    feedback = Feedback.objects.filter(center=demo).first()
    text = _page(client, "office", reverse("feedback:feedback_detail", args=[feedback.pk]))
    assert "提交人" in text
    assert "起始日期" not in text


def test_a_ratings_comment_is_the_raters_not_a_review_note(client, demo):
    rating = Rating.objects.filter(center=demo).exclude(comment="").first()
    text = _page(client, "office", reverse("feedback:rating_detail", args=[rating.pk]))
    assert "评价留言" in text
    assert "审核意见" not in text


@pytest.mark.parametrize("url_name", ["catalog:campaign_list", "staffing:hours_list"])
def test_campaigns_and_hall_hours_have_a_name_column_not_a_persons_name(client, demo, url_name):
    text = _page(client, "office", reverse(url_name))
    assert "名称" in text
    assert "姓名" not in text


def test_a_campaign_counts_items_with_all_eight_parts_not_completed_cases(client, demo):
    campaign = ReviewCampaign.objects.filter(center=demo).first()
    text = _page(client, "office", reverse("catalog:campaign_detail", args=[campaign.pk]))
    assert "八项内容齐全" in text
    assert " 办结 " not in text


def test_an_inspection_is_withdrawn_not_a_case(client, demo):
    inspection = Inspection.objects.filter(center=demo, withdrawn_at__isnull=True).first()
    text = _page(client, "office", reverse("oversight:inspection_detail", args=[inspection.pk]))
    assert "撤销巡查记录" in text
    assert "撤件" not in text


def test_a_leave_waiting_for_its_stamped_note_says_so(client, demo):
    # given every leave of the demo, some of them over a day with no stamped note yet
    pages = [
        _page(client, "office", reverse("staffing:leave_detail", args=[leave.pk]))
        for leave in Leave.objects.filter(center=demo)
    ]
    # then the note is "not handed in yet", never "not equipped"
    assert any("盖章审批单 尚未提交" in text for text in pages)
    assert not any("未配备" in text for text in pages)


def test_my_attendance_counts_leave_in_plain_days(client, demo):
    text = _page(client, "clerk", reverse("staffing:me") + "?month=2016-12")
    assert "天数" not in text
    assert not re.search(r"\d\.\d0 ?天", text)
