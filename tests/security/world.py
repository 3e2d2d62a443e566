"""A world with a record of every kind in center A (units X and Y) and some in center B (unit Z),
built through the real services, for the role × URL matrix and the POST probes.

Every object the staff pages take as a URL parameter exists here once at unit X (what clerk_x
and chief_x may open) and, where the record belongs to a unit, once at unit Y (what they may not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from govhall.api import services as api
from govhall.bulletins import services as bulletins
from govhall.cases import appointments
from govhall.cases import public_services as public_cases
from govhall.cases import services as cases
from govhall.catalog import services as catalog
from govhall.core.calendar import calendar_day_set
from govhall.core.models import AuditEntry
from govhall.demo.files import flowchart_png
from govhall.evaluation import services as evaluation
from govhall.evaluation.models import ScoreLine
from govhall.feedback import services as feedback
from govhall.feedback.choices import FeedbackKind, RatingChannel
from govhall.feedback.models import Rectification
from govhall.journal import services as journal
from govhall.journal.choices import EntryKind
from govhall.org import services as org
from govhall.org.models import Post
from govhall.oversight import services as oversight
from govhall.oversight.choices import LeaderRole, ViolationKind
from govhall.province import services as province
from govhall.province.choices import MessageEvent, MessageKind
from govhall.province.models import OutboxMessage
from govhall.queueing import services as queueing
from govhall.staffing import services as staffing
from govhall.staffing.choices import LeaveKind
from govhall.supervision import services as supervision
from govhall.supervision.models import Alert
from tests.catalog.builders import publish_item
from tests.factories import StaffFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def at(*args: int) -> dt.datetime:
    """A moment in the hall's local time."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def pdf(name: str = "note.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


FLOWCHART = flowchart_png("普通护照签发", (("受理", "窗口"), ("审核", "出入境科")))


@dataclass
class World:
    """Records by kind; `x` holds unit X's (or center A's) record, `y` unit Y's."""

    hall: Any
    x: dict[str, Any] = field(default_factory=dict)
    y: dict[str, Any] = field(default_factory=dict)


def _case(by: Any, item: Any, when: dt.datetime, *, done: bool = False) -> Any:
    with time_machine.travel(when, tick=False):
        case = cases.case_receive(
            by=by, item=item, applicant_name="甲申请人", applicant_phone="13900001234"
        )
        case = cases.case_accept(by=by, case=case)
        if done:
            case = cases.case_complete(by=by, case=case, result="granted")
        return case


def build_world(hall: Any) -> World:
    """Everything, in December 2016 by the hall's clock."""
    w = World(hall)
    x, y = w.x, w.y
    office = hall.user("office_a")
    clerk_x, chief_x = hall.user("clerk_x"), hall.user("chief_x")
    # A login for unit Y's clerk, so that Y gets its own alerts and leave.
    clerk_y = org.account_create(
        by=None, center=hall.a, username="clerk_y", password="pw-for-tests",
        role="window_staff", unit=hall.y, staff=hall.y_clerk,
    )  # fmt: skip

    # Organization.
    x["unit"], y["unit"] = hall.x, hall.y
    x["window"], y["window"] = hall.x_window, hall.y_window
    x["staff"], y["staff"] = hall.x_clerk, hall.y_clerk
    for side in (x, y):  # photos for the rating pad and the window screen
        org.staff_photo_set(by=None, staff=side["staff"], photo=jpeg())
    x["user"], y["user"] = clerk_x, clerk_y
    x["post"] = org.post_set(by=None, primary=hall.x_clerk, backup=hall.x_chief)
    y_backup = StaffFactory(window=hall.y_window, name="周备岗")
    y["post"] = org.post_set(by=None, primary=hall.y_clerk, backup=y_backup)
    assert Post.objects.count() == 2

    # Catalog: published items, a draft change, a submitted change, a campaign.
    with time_machine.travel(at(2016, 9, 1, 9, 0), tick=False):
        x["item"] = publish_item(hall.a, hall.x, code="P001", name="普通护照签发")
        y["item"] = publish_item(hall.a, hall.y, code="Y001", name="商品房预售许可")
        publish_item(hall.b, hall.z, code="Z001", name="林木采伐许可")
        x["version"] = catalog.version_start(
            by=None, item=x["item"], change_type="change", decision_document="随政发〔2016〕1号"
        )
        y["version"] = catalog.version_start(
            by=None, item=y["item"], change_type="change", decision_document="随政发〔2016〕2号"
        )
        # The drafts carry a flowchart image, so that the staff file view has a file to refuse.
        for side in (x, y):
            catalog.version_update_basic(
                by=None,
                version=side["version"],
                flowchart_image=SimpleUploadedFile("flow.png", FLOWCHART, content_type="image/png"),
            )
        catalog.version_submit(by=None, version=y["version"])
        x["campaign"] = catalog.campaign_create(
            by=None, center=hall.a, name="2016年梳理审查", document="随政办〔2016〕9号",
            starts_on=dt.date(2016, 9, 1), due_on=dt.date(2016, 12, 31),
        )  # fmt: skip
    # The reviewer's queue needs a submitted version of A; unit X keeps its draft.
    x["review"] = y["version"]

    # Cases: open ones at X and Y (red cards later), finished ones to rate.
    x["case"] = _case(clerk_x, x["item"], at(2016, 12, 1, 9, 0))
    y["case"] = _case(clerk_y, y["item"], at(2016, 12, 1, 9, 0))
    x["done"] = _case(clerk_x, x["item"], at(2016, 12, 2, 9, 0), done=True)
    y["done"] = _case(clerk_y, y["item"], at(2016, 12, 2, 9, 0), done=True)
    for side, by in ((x, clerk_x), (y, clerk_y)):
        with time_machine.travel(at(2016, 12, 2, 10, 0), tick=False):
            side["consultation"] = cases.consultation_log(
                by=by, unit=side["unit"], person_times=1, topic="办理流程"
            )
            received = cases.case_receive(by=by, item=side["item"], applicant_name="补正人")
            notice = cases.case_request_supplement(by=by, case=received, materials=["户口簿"])
            side["notice"] = notice
            side["upload"] = public_cases.supplement_upload_add(
                notice=notice, material="户口簿", file=jpeg()
            )
        with time_machine.travel(at(2016, 12, 1, 9, 0), tick=False):
            side["slot"] = appointments.slot_open(
                by=None, unit=side["unit"], date=dt.date(2016, 12, 5),
                start=dt.time(9, 0), end=dt.time(10, 0), capacity=3,
            )  # fmt: skip
            side["appointment"] = appointments.appointment_book(
                slot=side["slot"], item=side["item"], applicant_name="预约人", phone="13900005678"
            )
    _case(hall.user("clerk_z"), hall.b.units.get().items.get(), at(2016, 12, 1, 9, 0))

    # Supervision: red cards on 12-13 against the open cases, an appeal by X's chief, alerts.
    issued = supervision.supervise_day(by=None, center=hall.a, on=dt.date(2016, 12, 13)).issued
    for warning in issued:
        (x if warning.case.unit_id == hall.x.pk else y)["warning"] = warning
    with time_machine.travel(at(2016, 12, 13, 10, 0), tick=False):
        x["appeal"] = supervision.warning_appeal(
            by=chief_x, warning=x["warning"], reason="申请人要求暂缓"
        )
    x["alert"] = Alert.objects.filter(user=clerk_x).first()
    y["alert"] = Alert.objects.filter(user=clerk_y).first()

    # Staffing: the approval chain, leave with a note, outings, hall hours.
    with time_machine.travel(at(2016, 12, 1, 8, 0), tick=False):
        x["rule"] = staffing.leave_rules_install_defaults(by=None, center=hall.a)[0]
        x["leave"] = staffing.leave_request(
            by=clerk_x, staff=hall.x_clerk, kind=LeaveKind.PERSONAL,
            start_date=dt.date(2016, 12, 20), end_date=dt.date(2016, 12, 21), reason="家中有事",
        )  # fmt: skip
        staffing.leave_note_attach(by=clerk_x, leave=x["leave"], file=pdf())
        y["leave"] = staffing.leave_request(
            by=clerk_y, staff=hall.y_clerk, kind=LeaveKind.PERSONAL,
            start_date=dt.date(2016, 12, 20), end_date=dt.date(2016, 12, 21), reason="家中有事",
        )  # fmt: skip
        staffing.leave_note_attach(by=clerk_y, leave=y["leave"], file=pdf())
        x["hours"] = org.hall_hours_create(
            by=None, center=hall.a, name="夏季作息时间", from_month=5, from_day=1,
            morning_start=dt.time(8, 0), morning_end=dt.time(12, 0),
            afternoon_start=dt.time(15, 0), afternoon_end=dt.time(18, 0),
        )  # fmt: skip
    with time_machine.travel(at(2016, 12, 6, 10, 0), tick=False):
        x["outing"] = staffing.outing_register(
            by=clerk_x, staff=hall.x_clerk, reason="送审材料", cover=hall.x_chief
        )
        y["outing"] = staffing.outing_register(
            by=clerk_y, staff=hall.y_clerk, reason="送审材料", cover=y_backup
        )

    # Feedback: a 非常不满意 rating opens a rectification task; complaints routed to X and Y.
    for side in (x, y):
        with time_machine.travel(at(2016, 12, 3, 10, 0), tick=False):
            side["rating"] = feedback.rating_submit(
                case=side["done"], level=1, channel=RatingChannel.QR, comment="等了很久"
            )
        side["task"] = Rectification.objects.get(rating=side["rating"])
        submitted = feedback.feedback_submit(
            center=hall.a, kind=FeedbackKind.COMPLAINT, content="窗口人员态度不好，等了很久。",
            name="李四", phone="13900002222", unit=side["unit"], at=at(2016, 12, 10, 10, 0),
        )  # fmt: skip
        side["feedback"] = feedback.feedback_route(
            by=office, feedback=submitted, unit=side["unit"], at=at(2016, 12, 10, 11, 0)
        )

    # Oversight and the journal (center-level records of the office).
    with time_machine.travel(at(2016, 12, 20, 10, 0), tick=False):
        x["inspection"] = oversight.inspection_create(
            by=office, center=hall.a, kind=ViolationKind.TV_OR_CHAT,
            occurred_at=at(2016, 12, 15, 10, 5), description="上班时间看电视", points="2",
            staff=hall.x_clerk, photo=jpeg(),
        )  # fmt: skip
        x["leader"] = oversight.unit_leader_create(
            by=None, unit=hall.x, name="王分管", title="副局长", role=LeaderRole.DEPUTY,
            phone="13900003333",
        )  # fmt: skip
        y["leader"] = oversight.unit_leader_create(
            by=None, unit=hall.y, name="吴分管", title="副局长", role=LeaderRole.DEPUTY,
            user=hall.user("leader_y"),
        )  # fmt: skip
        oversight.patrol_record(by=None, leader=y["leader"], signed_in_at=at(2016, 12, 13, 9, 0))
        x["entry"] = journal.journal_entry_create(
            by=office, center=hall.a, kind=EntryKind.MEDIA_REPORT, date=dt.date(2016, 12, 8),
            outlet="湖北日报", section="第三版", title="服务群众的“最后一公里”",
            content="报道了中心优化服务的情况。", clipping=jpeg("clipping.jpg"),
        )  # fmt: skip

    # The month's evaluation with an objection by X's chief; the bulletin, published.
    with time_machine.travel(at(2017, 1, 5, 9, 0), tick=False):
        computed = evaluation.evaluation_compute(by=office, center=hall.a, month="2016-12")
        cards = {card.unit_id: card for card in computed.scorecards.filter(kind="unit")}
        x["card"], y["card"] = cards[hall.x.pk], cards[hall.y.pk]
        x["line"] = ScoreLine.objects.filter(scorecard=x["card"]).first()
        y["line"] = ScoreLine.objects.filter(scorecard=y["card"]).first()
        x["objection"] = evaluation.objection_raise(by=chief_x, line=x["line"], reason="已延期")
        x["bulletin"] = bulletins.bulletin_create(by=office, center=hall.a, month="2016-12")
        bulletins.bulletin_publish(by=office, bulletin=x["bulletin"])

    # A message for the provincial platform about X's case.
    province.outbox_write(
        center_id=hall.a.pk, kind=MessageKind.CASE, event=MessageEvent.ACCEPTED,
        dedupe_key=f"case:{x['case'].pk}:accepted", reference=x["case"].number, payload={},
        case=x["case"],
    )  # fmt: skip
    x["message"] = OutboxMessage.objects.get(case=x["case"])

    # A token for another system (the API's own pages are tested with the API).
    x["api_client"], _token = api.api_client_create(by=None, center=hall.a, name="省政务服务平台")

    # Center A's own day of the working-day calendar (the national schedule is the system
    # administrator's) and the audit trail.
    x["day"] = calendar_day_set(
        by=None, center=hall.a, date=dt.date(2030, 10, 8), is_workday=False, name="停电"
    )
    # The queue: a category of center A (the office's), served by X's window.
    x["queue_category"] = queueing.queue_category_save(
        center=hall.a, by=None, code="A", name="户籍出入境", units=[hall.x], windows=[hall.x_window]
    )
    x["audit"] = AuditEntry.objects.filter(chain=hall.a.pk).first()

    # A city over center A and its regional supervisor (区域监管): reads A, writes nowhere.
    city = org.region_create(by=None, name="甲市", kind="city")
    org.center_place_in_region(by=None, center=hall.a, region=city)
    regional = org.account_register(
        by=None, username="region_a", full_name="甲市区域监管", password="pw-for-tests-9Q!"
    )
    org.region_membership_grant(by=None, user=regional, region=city)
    hall.users["region_a"] = regional
    x["region"], x["center"] = city, hall.a
    return w
