"""The kiosk's pages, as a visitor at the hall's touch screen or on a phone sees them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from govhall.catalog.choices import ItemStatus
from govhall.catalog.models import ServiceItem
from govhall.org.models import Center
from govhall.portal.views import CENTER_COOKIE, ELDERLY_COOKIE

SHANGHAI = ZoneInfo("Asia/Shanghai")
EIGHT_PARTS = (
    "Basic information",
    "Power flowchart",
    "Application materials",
    "Fees",
    "Service forms",
    "Handling steps",
    "Integrity risk points",
    "Frequently asked questions",
)


@pytest.fixture
def passport(hall, publish):
    return publish("普通护照签发", unit=hall.x, code="P001", promised_days=5)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def body_class(response) -> str:
    return re.search(r'<body class="([^"]*)"', response.content.decode()).group(1)


# --- home -----------------------------------------------------------------------------------


def test_the_home_page_shows_the_center_search_and_browse_tiles(client, hall, publish):
    # given items of both units, one serving persons and companies alike
    publish("普通护照签发", unit=hall.x)
    publish("商品房预售许可", unit=hall.y, category="01", target="org")
    publish("建筑工程施工许可证核发", unit=hall.y, category="01", target="both")
    publish("户籍证明", unit=hall.x, category="07")
    # when
    response = english(client).get(reverse("portal:home"))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲政务服务中心" in page
    assert 'name="q"' in page
    assert [(u.name, u.item_count) for u in response.context["units"]] == [
        ("公安局", 2),
        ("住建局", 2),
    ]
    categories = {c["code"]: c["count"] for c in response.context["categories"]}
    assert categories == {"01": 3, "07": 1}
    targets = {t["target"]: t["count"] for t in response.context["targets"]}
    assert targets == {"person": 3, "org": 2}
    assert reverse("portal:target", args=["org"]) in page
    assert reverse("portal:category", args=["07"]) in page


def test_the_home_page_does_not_return_to_itself_when_idle(client, hall):
    page = client.get(reverse("portal:home")).content.decode()
    assert "data-idle-seconds" not in page


def test_other_pages_return_home_after_the_centers_idle_time(client, hall, passport):
    # given a center that waits two minutes
    Center.objects.filter(pk=hall.a.pk).update(kiosk_idle_seconds=120)
    # when
    page = client.get(reverse("portal:item", args=[passport.pk])).content.decode()
    # then
    assert 'data-idle-seconds="120"' in page
    assert f'data-idle-url="{reverse("portal:home")}"' in page


def test_the_kiosk_links_only_local_assets_and_no_inline_script(client, hall, passport):
    for url in (
        reverse("portal:home"),
        reverse("portal:item", args=[passport.pk]),
        reverse("portal:guide", args=[passport.pk]),
    ):
        page = client.get(url).content.decode()
        assert "/static/portal/kiosk.css" in page
        assert "/static/portal/kiosk.js" in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        assert "http://" not in page.replace("http://testserver", "").replace(
            "http://www.w3.org", ""
        ), url


# --- centers --------------------------------------------------------------------------------


def test_with_several_centers_the_kiosk_lists_them_and_remembers_the_choice(client, hall, publish):
    # given an item in each center
    publish("普通护照签发", unit=hall.x)
    publish("林木采伐许可证核发", unit=hall.z)
    # when the visitor picks center B
    response = client.get(reverse("portal:home"), {"center": hall.b.pk})
    # then B is shown and remembered
    assert response.context["center"] == hall.b
    assert [c.name for c in response.context["kiosk"].centers] == [
        "乙政务服务中心",
        "甲政务服务中心",
    ]
    assert response.cookies[CENTER_COOKIE].value == str(hall.b.pk)
    assert client.get(reverse("portal:home")).context["center"] == hall.b
    assert [
        i.name for i in client.get(reverse("portal:search"), {"q": "许可"}).context["page"]
    ] == ["林木采伐许可证核发"]


def test_a_single_center_is_the_default(client, hall):
    Center.objects.filter(pk=hall.b.pk).update(is_active=False)
    response = client.get(reverse("portal:home"))
    assert response.context["center"] == hall.a
    assert "?center=" not in response.content.decode()


def test_an_unknown_center_falls_back_to_the_default(client, hall):
    response = client.get(reverse("portal:home"), {"center": "999999"})
    assert response.status_code == 200
    assert CENTER_COOKIE not in response.cookies


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["hz", "huzhao", "护照"])
def test_searching_finds_the_passport(client, hall, passport, q):
    response = client.get(reverse("portal:search"), {"q": q})
    assert response.status_code == 200
    assert [i.name for i in response.context["page"]] == ["普通护照签发"]
    assert reverse("portal:item", args=[passport.pk]) in response.content.decode()


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_search_shows_the_browse_hint_not_every_item(client, hall, passport, q):
    response = english(client).get(reverse("portal:search"), {"q": q})
    assert response.status_code == 200
    assert "page" not in response.context
    page = response.content.decode()
    assert "Or browse" in page
    assert reverse("portal:unit", args=[hall.x.pk]) in page
    assert reverse("portal:item", args=[passport.pk]) not in page


def test_a_search_without_results_suggests_browsing_by_unit(client, hall, passport):
    response = english(client).get(reverse("portal:search"), {"q": "不存在的事项"})
    page = response.content.decode()
    assert "Nothing found for “不存在的事项”" in page
    assert "Or find it by department" in page
    assert reverse("portal:unit", args=[hall.x.pk]) in page


def test_search_results_come_twenty_to_a_page(client, hall, publish):
    for n in range(23):
        publish(f"护照事项{n:02d}", unit=hall.x)
    first = client.get(reverse("portal:search"), {"q": "hz"})
    second = client.get(reverse("portal:search"), {"q": "hz", "page": 2})
    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 3
    assert "?q=hz&amp;page=2" in first.content.decode()


def test_a_long_query_is_trimmed_to_fifty_characters(client, hall):
    response = client.get(reverse("portal:search"), {"q": "护" * 80})
    assert response.status_code == 200
    assert response.context["q"] == "护" * 50


def test_the_search_page_runs_a_fixed_number_of_queries(
    client, hall, publish, django_assert_num_queries
):
    # given many matching items
    for n in range(25):
        publish(f"护照事项{n:02d}", unit=hall.x if n % 2 else hall.y)
    # and the catalog indexed for search in this process (a first search builds it)
    client.get(reverse("portal:search"), {"q": "hz"})
    # then centers, the catalog's stamp, count, page: no query per row
    with django_assert_num_queries(4):
        response = client.get(reverse("portal:search"), {"q": "huzhao"})
    assert len(response.context["page"].object_list) == 20


# --- browse ---------------------------------------------------------------------------------


def test_a_units_page_lists_its_public_items_only(client, hall, publish):
    publish("普通护照签发", unit=hall.x)
    publish("户口迁移", unit=hall.x)
    publish("商品房预售许可", unit=hall.y)
    hidden = publish("护照换发", unit=hall.x)
    ServiceItem.objects.filter(pk=hidden.pk).update(status=ItemStatus.SUSPENDED)
    response = client.get(reverse("portal:unit", args=[hall.x.pk]))
    assert response.status_code == 200
    assert [i.name for i in response.context["page"]] == ["户口迁移", "普通护照签发"]
    assert "出入境窗口" in response.content.decode()  # where the unit sits


def test_a_category_page_lists_that_category(client, hall, publish):
    publish("普通护照签发", unit=hall.x, category="01")
    publish("户籍证明", unit=hall.x, category="07")
    response = client.get(reverse("portal:category", args=["07"]))
    assert [i.name for i in response.context["page"]] == ["户籍证明"]


def test_items_serving_both_appear_for_persons_and_for_companies(client, hall, publish):
    publish("普通护照签发", unit=hall.x, target="person")
    publish("商品房预售许可", unit=hall.y, target="org")
    publish("建筑工程施工许可证核发", unit=hall.y, target="both")
    persons = client.get(reverse("portal:target", args=["person"])).context["page"]
    companies = client.get(reverse("portal:target", args=["org"])).context["page"]
    assert {i.name for i in persons} == {"普通护照签发", "建筑工程施工许可证核发"}
    assert {i.name for i in companies} == {"商品房预售许可", "建筑工程施工许可证核发"}


@pytest.mark.parametrize(
    "url",
    [
        lambda hall: reverse("portal:unit", args=[hall.z.pk]),  # center B's unit
        lambda hall: reverse("portal:unit", args=[999999]),
        lambda hall: reverse("portal:category", args=["99"]),
        lambda hall: reverse("portal:target", args=["everyone"]),
    ],
)
def test_browse_pages_of_another_center_or_unknown_values_are_not_found(client, hall, url):
    assert client.get(url(hall)).status_code == 404


# --- the item page --------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2016, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_item_page_shows_the_eight_parts_and_when_a_case_applied_for_today_is_done(
    client, hall, passport
):
    # given Friday 30 September 2016 and an item promised in 5 working days
    # when
    response = english(client).get(reverse("portal:item", args=[passport.pk]))
    # then National Day is skipped and the adjusted Saturday and Sunday count
    assert response.status_code == 200
    page = response.content.decode()
    assert "2016年10月12日" in page
    for part in EIGHT_PARTS:
        assert part in page, part
    for data in (
        "居民身份证",
        "护照工本费",
        "中国公民出入境证件申请表",
        "出入境科",
        "故意刁难申请人",
    ):
        assert data in page, data
    assert "护照有效期多久？" in page
    assert "<svg" in page
    assert "申请人提出申请" in page
    assert "随县、曾都区户籍居民" in page  # 通办范围
    assert "政务服务中心一楼" in page
    assert "出入境窗口" in page


@time_machine.travel(dt.datetime(2016, 12, 10, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_an_immediate_item_applied_for_on_saturday_is_done_on_monday(client, hall, publish):
    item = publish("户籍证明", unit=hall.x, handling_type="immediate", promised_days=0)
    response = client.get(reverse("portal:item", args=[item.pk]))
    assert "2016年12月12日" in response.content.decode()


def test_a_free_item_says_so(client, hall, publish):
    item = publish("户籍证明", unit=hall.x, fee_mode="free")
    assert (
        "Free of charge"
        in english(client).get(reverse("portal:item", args=[item.pk])).content.decode()
    )


def test_the_qr_code_encodes_the_pages_address(client, hall, passport):
    response = client.get(reverse("portal:item", args=[passport.pk]))
    url = f"http://testserver/kiosk/items/{passport.pk}/?center={hall.a.pk}"
    assert response.context["page_url"] == url
    assert '<svg viewBox="0 0' in response.content.decode()
    assert 'class="qr-code"' in response.content.decode()


def test_the_qr_code_uses_the_public_address_when_configured(client, hall, passport, settings):
    settings.GOVHALL_PUBLIC_URL = "https://zwfw.suixian.gov.cn/"
    response = client.get(reverse("portal:item", args=[passport.pk]))
    assert response.context["page_url"] == (
        f"https://zwfw.suixian.gov.cn/kiosk/items/{passport.pk}/?center={hall.a.pk}"
    )


def test_an_uploaded_flowchart_replaces_the_drawn_one(client, hall, passport):
    passport.current.flowchart_image = "catalog/flowcharts/passport.png"
    passport.current.save(update_fields=["flowchart_image"])
    page = client.get(reverse("portal:item", args=[passport.pk])).content.decode()
    image = reverse("portal:item_file", args=[passport.pk, "flowchart", passport.current_id])
    assert f'src="{image}"' in page
    assert "申请人提出申请" not in page


def test_the_item_page_links_to_the_printable_guide_and_checklist(client, hall, passport):
    page = client.get(reverse("portal:item", args=[passport.pk])).content.decode()
    assert reverse("portal:guide", args=[passport.pk]) in page
    assert reverse("portal:checklist", args=[passport.pk]) in page


def test_the_item_page_runs_a_fixed_number_of_queries(
    client, hall, passport, django_assert_num_queries
):
    client.get(reverse("portal:item", args=[passport.pk]))  # the working-day calendar is cached
    # centers, item, six parts, windows, calendar fingerprint
    with django_assert_num_queries(10):
        response = client.get(reverse("portal:item", args=[passport.pk]))
    assert response.status_code == 200


def test_items_of_another_center_or_not_public_are_not_found(client, hall, publish):
    other = publish("林木采伐许可证核发", unit=hall.z)
    suspended = publish("护照换发", unit=hall.x)
    ServiceItem.objects.filter(pk=suspended.pk).update(status=ItemStatus.SUSPENDED)
    draft = publish("护照加签", unit=hall.x)
    ServiceItem.objects.filter(pk=draft.pk).update(current=None)
    for item in (other, suspended, draft):
        for name in ("portal:item", "portal:guide", "portal:checklist"):
            assert client.get(reverse(name, args=[item.pk])).status_code == 404, (item, name)


# --- printable pages ------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2016, 12, 8, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_printable_guide_has_every_part_the_center_the_date_and_the_qr_code(
    client, hall, passport
):
    response = english(client).get(reverse("portal:guide", args=[passport.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for part in EIGHT_PARTS:
        assert part in page, part
    assert "甲政务服务中心" in page
    assert "Printed on 2016年12月8日" in page
    assert 'class="qr-code"' in page
    assert "data-print" in page
    assert '<details class="integrity" open>' in page  # risks printed, not folded away


def test_the_checklist_lists_every_material_with_a_box(client, hall, passport):
    response = client.get(reverse("portal:checklist", args=[passport.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="checkbox"') == 2
    assert "居民身份证" in page
    assert "近期免冠照片" in page


# --- elderly mode ---------------------------------------------------------------------------


def test_elderly_mode_is_one_tap_away_and_stays_on_for_every_page(client, hall, passport):
    # given the home page in normal mode
    home = client.get(reverse("portal:home"))
    assert "elderly" not in body_class(home).split()
    toggle = reverse("portal:elderly") + "?on=1&next=" + reverse("portal:home")
    assert toggle.replace("&", "&amp;") in home.content.decode()
    # when the visitor taps it
    response = client.get(reverse("portal:elderly"), {"on": "1", "next": reverse("portal:home")})
    # then the mode is remembered and every page is larger
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert client.cookies[ELDERLY_COOKIE].value == "1"
    for url in (
        reverse("portal:home"),
        reverse("portal:search") + "?q=hz",
        reverse("portal:item", args=[passport.pk]),
        reverse("portal:guide", args=[passport.pk]),
    ):
        assert "elderly" in body_class(client.get(url)).split(), url
    # and one more tap turns it off
    client.get(reverse("portal:elderly"), {"on": "0"})
    assert "elderly" not in body_class(client.get(reverse("portal:home"))).split()


def test_elderly_mode_does_not_redirect_to_another_site(client, hall):
    response = client.get(reverse("portal:elderly"), {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


def test_the_home_page_says_where_each_department_sits(client, hall):
    page = client.get(reverse("portal:home")).content.decode()
    assert "出入境窗口" in page
    assert "林业窗口" not in page  # center B's


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, hall, publish, django_assert_num_queries
):
    for n in range(5):
        publish(f"事项{n}", unit=hall.x if n % 2 else hall.y, category="01" if n % 2 else "07")
    # centers, units with counts, their windows, category counts, person/org counts
    with django_assert_num_queries(5):
        client.get(reverse("portal:home"))
