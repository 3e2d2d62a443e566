"""The demo catalog: a realistic 随县 catalog published through the services, with review work."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
from django.db.models import Sum

from govhall.catalog.models import ItemVersion, ReviewCampaign, ServiceItem
from govhall.catalog.rules import missing_parts
from govhall.catalog.services import version_counts
from govhall.core.audit import verify_all
from govhall.demo.data.catalog import chinese_number, legal_basis, material_row, split_days
from govhall.demo.loaders.catalog import WITH_FILES, load_catalog_demo
from govhall.org.models import Center


@pytest.fixture
def demo(demo_center):
    """The shared demo hall (tests/shared_demo.py): each test runs in a savepoint inside it."""
    return demo_center


def published(center):
    return ServiceItem.objects.filter(center=center, status="published")


def test_the_catalog_is_big_enough_and_spread_over_the_units(demo):
    assert published(demo).count() >= 145
    per_unit = Counter(published(demo).values_list("unit__name", flat=True))
    assert per_unit["公安局"] >= 35
    assert per_unit["住建局"] >= 15
    assert per_unit["林业局"] >= 8
    assert all(per_unit[u] >= 4 for u in ("财政局", "发改局", "食药监局", "水利局", "教育局"))
    assert len(per_unit) == 22


def test_passport_is_served_to_zengdu_residents_with_all_eight_parts(demo):
    item = ServiceItem.objects.get(center=demo, name="普通护照签发")
    assert item.unit.name == "公安局"
    version = item.current
    assert "曾都区" in version.service_scope
    assert "A01" in version.place
    assert "《中华人民共和国护照法》" in version.legal_basis
    assert missing_parts(version_counts(version)) == []
    fee = version.fee_lines.get()
    assert fee.amount == Decimal("160")
    assert "1494号" in fee.basis
    assert version.materials.filter(name__contains="居民身份证").exists()
    assert version.steps.count() >= 4
    assert version.handling_type == "promised"
    assert version.promised_days <= version.legal_days


@pytest.mark.parametrize(
    "name", ["林木采伐许可证核发", "植物检疫证书核发", "食品经营许可", "水土保持方案审批"]
)
def test_the_bulletins_items_exist(demo, name):
    assert ServiceItem.objects.filter(center=demo, name__contains=name).exists()


def test_codes_are_consistent(demo):
    items = ServiceItem.objects.filter(center=demo).select_related("current", "unit")
    codes = [i.code for i in items]
    assert len(codes) == len(set(codes))
    for item in items:
        assert item.code.startswith("4213210")
        assert len(item.code) == 12
        assert item.code[7:9] == f"{item.unit.position:02d}"
        if item.current:
            assert len(item.current.basic_code) == 12
            assert item.current.basic_code[2:4] == item.current.category


def test_limits_agree_on_every_published_version(demo):
    versions = ItemVersion.objects.filter(item__center=demo, state="published").annotate(
        step_days=Sum("steps__limit_days")
    )
    assert versions.count() >= 145
    immediate = 0
    for version in versions:
        assert version.promised_days <= version.legal_days, version.name
        if version.handling_type == "promised":
            assert version.promised_days > 0, version.name
            assert (version.step_days or 0) <= version.promised_days, version.name
        else:
            immediate += 1
            assert version.promised_days == 0, version.name
            assert version.step_days == 0, version.name
    assert immediate >= 20
    assert versions.filter(promised_days=Decimal("0.5")).exists()


def test_some_published_items_are_incomplete_and_most_are_not(demo):
    items = published(demo).select_related("current")
    lacking = {i.name: missing_parts(version_counts(i.current)) for i in items}
    incomplete = {name: parts for name, parts in lacking.items() if parts}
    share = len(incomplete) / len(lacking)
    assert 0.12 <= share <= 0.22
    kinds = {part for parts in incomplete.values() for part in parts}
    assert kinds == {"risks", "faqs", "forms", "fees"}


def test_the_review_campaign_has_work_in_every_state(demo):
    states = Counter(
        ItemVersion.objects.filter(item__center=demo)
        .exclude(state__in=["published", "superseded"])
        .values_list("state", flat=True)
    )
    assert states["submitted"] == 2
    assert states["returned"] == 1
    assert states["draft"] >= 3
    fixing = ItemVersion.objects.get(item__center=demo, state="draft", change_note__contains="廉政")
    assert fixing.risks.exists()
    assert not fixing.item.current.risks.exists()
    returned = ItemVersion.objects.get(item__center=demo, state="returned")
    assert returned.review_comment
    assert returned.decision_document == "随县政办发[2016]55号"
    new = ServiceItem.objects.get(center=demo, name="食品小作坊登记证核发")
    assert new.status == "draft"
    assert new.current is None
    assert ServiceItem.objects.filter(center=demo, status="suspended").count() == 1
    assert ServiceItem.objects.filter(center=demo, status="cancelled").count() == 1
    campaign = ReviewCampaign.objects.get(center=demo)
    assert campaign.document == "随县政办发[2016]55号"
    for version in ItemVersion.objects.filter(item__center=demo, state="submitted"):
        assert missing_parts(version_counts(version)) == []


def test_loading_twice_adds_nothing(demo):
    items, versions = ServiceItem.objects.count(), ItemVersion.objects.count()
    out = StringIO()
    load_catalog_demo(out)
    assert "already" in out.getvalue()
    assert (ServiceItem.objects.count(), ItemVersion.objects.count()) == (items, versions)
    assert ReviewCampaign.objects.filter(center=demo).count() == 1


def test_no_center_no_catalog(demo):
    Center.objects.filter(pk=demo.pk).update(name="甲政务服务中心")
    items = ServiceItem.objects.count()
    out = StringIO()
    load_catalog_demo(out)
    assert ServiceItem.objects.count() == items
    assert "not loaded" in out.getvalue()


def test_the_audit_chain_verifies(demo):
    checked, problems = verify_all()
    assert problems == []
    assert checked > 200


def test_helpers():
    assert [chinese_number(n) for n in (5, 10, 12, 20, 35, 101, 110, 236)] == [
        "五",
        "十",
        "十二",
        "二十",
        "三十五",
        "一百零一",
        "一百一十",
        "二百三十六",
    ]
    assert legal_basis("护照法5,6;出境入境管理法9") == (
        "《中华人民共和国护照法》第五条、第六条；《中华人民共和国出境入境管理法》第九条"
    )
    assert split_days(Decimal("10"), [1, 4, 2, 1, 1]) == [
        Decimal(d) for d in ("1", "4.5", "2.5", "1", "1")
    ]
    assert split_days(Decimal("0.5"), [1, 4, 2, 1, 1]) == [
        Decimal(d) for d in ("0", "0.5", "0", "0", "0")
    ]
    row = material_row("?委托")
    assert row["necessity"] == "optional"
    assert row["name"].startswith("授权委托书")
    assert material_row("商品房买卖合同原件×3")["copies"] == 3
    assert material_row("居民身份证申领登记表")["kind"] == "form"


def test_demo_items_carry_real_files_that_open_from_the_kiosk(demo, client):
    # given the demo's items with files (at least 普通护照签发 and several others)
    items = published(demo).filter(name__in=WITH_FILES)
    assert items.filter(name="普通护照签发").exists()
    assert items.count() >= 5
    for item in items:
        # when the kiosk shows the item
        html = client.get(f"/kiosk/items/{item.pk}/?center={demo.pk}").content.decode()
        links = {unescape(u) for u in re.findall(r'(?:href|src)="([^"]*/files/[^"]*)"', html)}
        # then it links a flowchart image, a blank form, a sample and a form, and each opens
        kinds = {link.split("/files/")[1].split("/")[0] for link in links}
        assert kinds == {"flowchart", "blank-form", "sample", "form"}, item.name
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            body = b"".join(response.streaming_content)
            assert body.startswith((b"%PDF-", b"\x89PNG")), link
