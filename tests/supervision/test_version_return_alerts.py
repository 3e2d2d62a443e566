"""When the office returns a catalog version, the unit's chief is told in the app."""

from __future__ import annotations

import pytest

from govhall.catalog import services as catalog
from govhall.core.errors import DomainError
from govhall.supervision.models import Alert
from tests.catalog.builders import publish_item


@pytest.fixture
def submitted(hall):
    """A change of unit X's passport item, submitted for review by X's chief."""
    item = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
    chief = hall.user("chief_x")
    draft = catalog.version_start(
        by=chief, item=item, change_type="change", decision_document="随政发〔2016〕1号"
    )
    return catalog.version_submit(by=chief, version=draft)


def test_the_chief_is_alerted_with_the_reason_and_a_link_to_the_version(hall, submitted):
    # when the office returns the version
    catalog.version_return(by=hall.user("office_a"), version=submitted, comment="请补充办理地点")
    # then X's chief has one alert naming the item and the reason, linking to the draft
    (alert,) = Alert.objects.filter(user=hall.user("chief_x"))
    assert "普通护照签发" in alert.text
    assert "请补充办理地点" in alert.text
    assert alert.link == f"/catalog/versions/{submitted.pk}/edit/"
    assert alert.center == hall.a
    assert alert.read_at is None


def test_only_the_units_chief_is_alerted(hall, submitted, chief_y):
    catalog.version_return(by=hall.user("office_a"), version=submitted, comment="请补充")
    assert list(Alert.objects.values_list("user__username", flat=True)) == ["chief_x"]


def test_a_refused_return_alerts_nobody(hall, submitted):
    with pytest.raises(DomainError):
        catalog.version_return(by=hall.user("office_a"), version=submitted, comment="  ")
    assert not Alert.objects.exists()


def test_approving_alerts_nobody(hall, submitted):
    catalog.version_approve(by=hall.user("office_a"), version=submitted)
    assert not Alert.objects.exists()


def test_the_chief_opens_the_alert_and_lands_on_the_draft_with_the_comment(client, hall, submitted):
    # given the office returned the version through the review page
    client.force_login(hall.user("office_a"))
    client.post(
        f"/catalog/versions/{submitted.pk}/review/",
        {"decision": "return", "comment": "请补充办理地点"},
    )
    # when the chief opens the alert from the alert list
    client.force_login(hall.user("chief_x"))
    alerts = client.get("/supervision/alerts/").content.decode()
    assert "请补充办理地点" in alerts
    alert = Alert.objects.get(user=hall.user("chief_x"))
    response = client.get(f"/supervision/alerts/{alert.pk}/", follow=True)
    # then the draft's edit page shows the office's comment
    assert response.redirect_chain[-1][0] == f"/catalog/versions/{submitted.pk}/edit/"
    assert "请补充办理地点" in response.content.decode()


def test_another_person_cannot_open_the_chiefs_alert(client, hall, submitted):
    catalog.version_return(by=hall.user("office_a"), version=submitted, comment="请补充")
    alert = Alert.objects.get(user=hall.user("chief_x"))
    client.force_login(hall.user("clerk_x"))
    assert client.get(f"/supervision/alerts/{alert.pk}/").status_code == 404
