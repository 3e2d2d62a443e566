"""Issue 20's Done-when: the regional bulletin of 随州市 generates in all four formats from the
demo, over Sui County and the two small county halls; the region's API answers only its
supervisor."""

from __future__ import annotations

import io
import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from docx import Document as open_docx

from govhall.bulletins.figures import figures
from govhall.bulletins.regional import patrol_rate
from govhall.bulletins.selectors import region_figures
from govhall.core.months import month_start, shift_month
from govhall.demo.data.org import DEMO_CENTER
from govhall.org.models import Center, Region

CENTER_KEYS = {
    "center", "accepted", "completed", "on_time_rate", "satisfaction", "red_cards",
    "yellow_cards", "patrol_rate",
}  # fmt: skip


def test_the_regional_bulletin_generates_in_every_format(demo_center, tmp_path):
    # when the city's bulletin for December 2016 is written in the four formats
    call_command(
        "bulletin", "2016-12", region="随州市", format="html,docx,pdf,json", out=f"{tmp_path}/",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    stem = tmp_path / "bulletin-随州市-2016-12"
    data = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    # then the JSON has the contract's keys, the three halls, Sui County's reference figures
    assert set(data) == {"region", "month", "centers"}
    assert (data["region"], data["month"]) == ("随州市", "2016-12")
    assert len(data["centers"]) == 3
    assert all(set(row) == CENTER_KEYS for row in data["centers"])
    sui = next(row for row in data["centers"] if row["center"] == DEMO_CENTER)
    assert (sui["accepted"], sui["completed"]) == (6560, 6496)
    rates = [(r["on_time_rate"], r["satisfaction"]) for r in data["centers"]]
    assert rates == sorted(rates, key=lambda r: (-(r[0] or 0), -(r[1] or 0)))
    # and the documents carry the issue, the title and the ranking table
    html = stem.with_suffix(".html").read_text(encoding="utf-8")
    for text in (
        "随州市政务服务简报",
        "全市政务服务中心运行情况通报",
        "<svg",
        "青溪县政务服务中心",
    ):
        assert text in html
    document = open_docx(io.BytesIO(stem.with_suffix(".docx").read_bytes()))
    assert document.tables[0].rows[0].cells[0].text == "排名"
    assert len(document.tables[0].rows) == 4
    assert stem.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_the_regions_api_answers_its_supervisor_and_no_one_else(demo_center):
    city = Region.objects.get(name="随州市")
    users = get_user_model().objects
    supervisor, office = Client(), Client()
    supervisor.force_login(users.get(username="region"))
    office.force_login(users.get(username="office"))
    url = f"/api/v1/regions/{city.pk}/figures/2016-12"
    # when the city's supervisor asks
    response = supervisor.get(url)
    # then it gets the ranked centers with their rank and change on November
    assert response.status_code == 200
    body = response.json()
    assert [c["rank"] for c in body["centers"]] == [1, 2, 3]
    assert body["issue"] == "随州市政务服务【2016】第12期"
    assert {"change", "vacancies", "center_id"} <= set(body["centers"][0])
    # and the center's office gets nothing
    assert office.get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_the_region_endpoint_is_in_the_openapi_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{region_id}/figures/{month}" in schema["paths"]


def test_each_center_ranks_with_the_figures_of_its_own_bulletin(demo_center):
    # the region reads its centers together; each row must say what that center's own month
    # says, in the bulletin's month and in the demo's present month (numbers taken, cards)
    city = Region.objects.get(name="随州市")
    for month in ("2016-12", f"{shift_month(month_start(timezone.localdate()), -1):%Y-%m}"):
        ranked = region_figures(region=city, month=month)
        assert len(ranked.centers) == 3
        for row in (c.now for c in ranked.centers):
            own = figures(Center.objects.get(pk=row.center_id), month_start(month))
            signed, unsigned = len(own.patrol.signed_units), len(own.patrol.unsigned_units)
            expected = (
                own.cases.accepted,
                own.cases.completed,
                own.timeliness.on_time_rate,
                own.satisfaction.rate,
                own.timeliness.red,
                own.timeliness.yellow,
                patrol_rate(signed, signed + unsigned),
                own.vacancy_total,
                own.queue.average_wait_minutes if own.queue.tickets else None,
            )
            assert (
                row.accepted,
                row.completed,
                row.on_time_rate,
                row.satisfaction,
                row.red_cards,
                row.yellow_cards,
                row.patrol_rate,
                row.vacancies,
                row.average_wait,
            ) == expected, (month, row.center)
