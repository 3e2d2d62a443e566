"""Demo feedback of 随县政务服务中心, built through the real services with the times of 2016.

Ratings on a sample of the completed demo cases of September to December 2016, mostly satisfied;
in November a 不满意 rating rectified (contacted, outcome recorded, 回访, closed); in October a
非常不满意 found invalid on review (恶意差评). Complaints and messages in October and November —
routed, answered, one reopened, one dismissed — and none in December 2016: the reference
bulletin reads "本月未收到投诉及留言".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from govhall.cases.choices import CaseStatus
from govhall.cases.models import Case, Consultation
from govhall.core.calendar import get_calendar
from govhall.demo.data.org import DEMO_CENTER
from govhall.feedback import services
from govhall.feedback.choices import (
    FeedbackKind,
    Finding,
    FollowUpResult,
    RatingChannel,
    RatingLevel,
    RatingTag,
)
from govhall.feedback.models import Feedback, Rating
from govhall.org.models import Center, Unit

MONTHS = (dt.date(2016, 9, 1), dt.date(2016, 10, 1), dt.date(2016, 11, 1), dt.date(2016, 12, 1))
CASES_PER_MONTH = 120
CONSULTATIONS_PER_MONTH = 10

L = RatingLevel
# Mostly satisfied: of every 20 ratings, 12 非常满意, 5 满意, 3 基本满意.
PATTERN = (5, 5, 4, 5, 5, 3, 5, 4, 5, 5, 4, 5, 3, 5, 5, 4, 5, 5, 3, 4)
CHANNELS = (RatingChannel.WINDOW, RatingChannel.WINDOW, RatingChannel.QR, RatingChannel.WEB)
PRAISE = RatingTag.praise()
COMMENTS = ("工作人员很耐心，一次就办好了。", "速度快，服务好！", "解释得很清楚，谢谢。")


def _aware(*args: int) -> dt.datetime:
    """A moment of 2016 in the hall's local time."""
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


def load_feedback_demo(stdout: Any) -> None:
    """Ratings, one rectified and one invalid bad rating, complaints and messages (idempotent:
    each part runs only while the demo center has none of its records)."""
    center = Center.objects.filter(name=DEMO_CENTER).first()
    if center is None:
        return
    rated = 0 if Rating.objects.filter(center=center).exists() else _ratings(center)
    filed = 0 if Feedback.objects.filter(center=center).exists() else _complaints(center)
    stdout.write(f"好差评：{rated} 条评价；投诉留言：{filed} 件")


# --- ratings -----------------------------------------------------------------------------------


def _month_cases(center: Center, month: dt.date) -> list[Case]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    cases = Case.objects.filter(
        center=center,
        status=CaseStatus.COMPLETED,
        completed_at__gte=_aware(month.year, month.month, 1),
        completed_at__lt=_aware(following.year, following.month, 1),
    ).order_by("completed_at", "pk")
    pks = list(cases.values_list("pk", flat=True))
    step = max(1, len(pks) // CASES_PER_MONTH)
    chosen = pks[::step][:CASES_PER_MONTH]
    return list(Case.objects.filter(pk__in=chosen).order_by("completed_at", "pk"))


def _ratings(center: Center) -> int:
    count = 0
    for month in MONTHS:
        cases = _month_cases(center, month)
        for index, case in enumerate(cases):
            level = PATTERN[index % len(PATTERN)]
            tags = [PRAISE[index % len(PRAISE)]] if level >= L.SATISFIED and index % 3 == 0 else []
            comment = (
                COMMENTS[index % len(COMMENTS)]
                if level == L.VERY_SATISFIED and index % 7 == 0
                else ""
            )
            channel = CHANNELS[index % len(CHANNELS)]
            if case.completed_at is None:  # imported history may lack it
                continue
            # At the window the pad is turned at once; by QR code or web, that evening.
            delay = (
                dt.timedelta(minutes=2)
                if channel == RatingChannel.WINDOW
                else dt.timedelta(hours=5)
            )
            special = _bad_rating(month, index)
            if special is not None:
                level, tags, comment, channel = special
                delay = dt.timedelta(hours=2)
            rating = services.rating_submit(
                by=None,
                case=case,
                level=level,
                tags=tags,
                comment=comment,
                channel=channel,
                at=case.completed_at + delay,
            )
            count += 1
            if special is not None:
                _settle(rating, month)
        count += _consultation_ratings(center, month)
    return count


# The 8th sampled case of October and November gets the bad rating.
BAD_INDEX = 7


def _bad_rating(month: dt.date, index: int) -> tuple[int, list[str], str, str] | None:
    if index != BAD_INDEX:
        return None
    if month.month == 11:
        return (
            L.DISSATISFIED,
            [RatingTag.UNCLEAR, RatingTag.MANY_VISITS],
            "材料要求没有一次说清楚，来回跑了两趟。",
            RatingChannel.QR,
        )
    if month.month == 10:
        return (L.VERY_DISSATISFIED, [RatingTag.UNFRIENDLY], "不给办就是差评！", RatingChannel.WEB)
    return None


def _at_on(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return _aware(day.year, day.month, day.day, hour, minute)


def _settle(rating: Rating, month: dt.date) -> None:
    """November's bad rating is rectified and followed up; October's is found invalid."""
    task = rating.rectification
    calendar = get_calendar(rating.center_id)
    opened = timezone.localtime(task.opened_at).date()
    if month.month == 10:
        services.rating_review_request(
            by=None,
            rating=rating,
            reason="申请人因个人诉求未获满足给出差评，与窗口服务无关，申请核实。",
            at=_at_on(calendar.add(opened, 1), 9),
        )
        services.rating_review(
            by=None,
            rating=rating,
            valid=False,
            reason="经中心管理办公室调取窗口录像核实，工作人员依法告知、态度规范，认定为恶意差评。",
            at=_at_on(calendar.add(opened, 2), 10),
        )
        return
    services.rectification_contact(
        by=None,
        task=task,
        note="调阅窗口记录，确认首次受理时未一次性告知复印件要求；已电话联系申请人致歉。",
        at=_at_on(calendar.add(opened, 1), 9, 30),
    )
    services.rectification_rectify(
        by=None,
        task=task,
        outcome="修订并张贴该事项一次性告知清单，对当班工作人员进行批评教育，窗口增设复印服务。",
        at=_at_on(calendar.add(opened, 5), 16),
    )
    services.rectification_follow_up(
        by=None,
        task=task,
        result=FollowUpResult.SATISFIED,
        note="申请人表示认可整改措施。",
        at=_at_on(calendar.add(opened, 6), 10),
    )


def _consultation_ratings(center: Center, month: dt.date) -> int:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    consultations = Consultation.objects.filter(
        center=center,
        at__gte=_aware(month.year, month.month, 1),
        at__lt=_aware(following.year, following.month, 1),
    ).order_by("at", "pk")[:CONSULTATIONS_PER_MONTH]
    for index, consultation in enumerate(consultations):
        services.rating_submit(
            by=None,
            consultation=consultation,
            level=PATTERN[(index + 3) % len(PATTERN)],
            channel=RatingChannel.WINDOW,
            at=consultation.at + dt.timedelta(minutes=1),
        )
    return len(consultations)


# --- complaints and messages -------------------------------------------------------------------


def _unit(center: Center, name: str) -> Unit | None:
    return Unit.objects.filter(center=center, name=name).first()


def _complaints(center: Center) -> int:
    """October and November 2016 only: December has none."""
    police, housing, forestry = (_unit(center, n) for n in ("公安局", "住建局", "林业局"))
    count = 0

    # A message, answered by the unit; the submitter is satisfied.
    item = services.feedback_submit(
        center=center, kind=FeedbackKind.MESSAGE, unit=police, subject="护照办理时间",
        content="请问出入境窗口办理普通护照需要多长时间？能否邮寄到家？",
        at=_aware(2016, 10, 12, 10, 20),
    )  # fmt: skip
    count += 1
    if police is not None:
        services.feedback_route(by=None, feedback=item, unit=police, at=_aware(2016, 10, 12, 11, 0))
        services.feedback_answer(
            by=None, feedback=item,
            answer="您好！普通护照承诺7个工作日办结，可在受理时选择邮政速递送证上门。感谢您的留言。",
            at=_aware(2016, 10, 13, 9, 40),
        )  # fmt: skip
        services.feedback_accept(feedback=item, at=_aware(2016, 10, 14, 8, 50))

    # A complaint, partly substantiated, reopened once, answered again and closed.
    item = services.feedback_submit(
        center=center, kind=FeedbackKind.COMPLAINT, unit=housing, subject="材料没有一次说清",
        content="在房产窗口办理登记，第一次去时没有告诉我要带复印件，只好回去复印，来回跑了两次。",
        name="陈女士", phone="13972260000", at=_aware(2016, 10, 25, 15, 40),
    )  # fmt: skip
    count += 1
    if housing is not None:
        services.feedback_route(by=None, feedback=item, unit=housing, at=_aware(2016, 10, 26, 9, 0))
        services.feedback_answer(
            by=None, feedback=item, finding=Finding.PARTLY,
            answer="经核实，窗口工作人员未一次性告知复印件要求，已对其批评教育，并在窗口张贴材料清单。",
            at=_aware(2016, 10, 31, 16, 0),
        )  # fmt: skip
        services.feedback_reopen(
            feedback=item,
            reason="希望说明复印件能否在中心现场复印。",
            at=_aware(2016, 11, 1, 9, 10),
        )
        services.feedback_answer(
            by=None, feedback=item, finding=Finding.PARTLY,
            answer="中心一楼自助服务区已设复印机，可免费复印办事所需材料。给您带来不便，深表歉意。",
            at=_aware(2016, 11, 3, 10, 30),
        )  # fmt: skip
        services.feedback_accept(feedback=item, at=_aware(2016, 11, 4, 9, 0))

    # A suggestion with no contact, answered by the office itself.
    item = services.feedback_submit(
        center=center, kind=FeedbackKind.MESSAGE, subject="等候区建议",
        content="建议在大厅等候区多放一些座椅，再准备几副老花镜。", at=_aware(2016, 11, 8, 14, 5),
    )  # fmt: skip
    count += 1
    services.feedback_answer(
        by=None, feedback=item,
        answer="感谢您的建议！中心已在等候区增设座椅，并在咨询台配备老花镜。",
        at=_aware(2016, 11, 9, 11, 0),
    )  # fmt: skip

    # Advertising, dismissed: it counts nowhere.
    item = services.feedback_submit(
        center=center, kind=FeedbackKind.MESSAGE, content="专业代办各类证件，快速出证，联系微信……",
        at=_aware(2016, 11, 15, 22, 30),
    )  # fmt: skip
    count += 1
    services.feedback_dismiss(
        by=None, feedback=item, reason="广告信息", at=_aware(2016, 11, 16, 8, 40)
    )

    # A substantiated complaint, answered in time and closed.
    item = services.feedback_submit(
        center=center, kind=FeedbackKind.COMPLAINT, unit=forestry, subject="窗口中午无人",
        content="11月21日中午12点前十分钟到林业窗口，窗口已经没人了，等了很久。",
        name="胡先生", phone="13508660000", at=_aware(2016, 11, 21, 15, 20),
    )  # fmt: skip
    count += 1
    if forestry is not None:
        services.feedback_route(
            by=None, feedback=item, unit=forestry, at=_aware(2016, 11, 22, 8, 45)
        )
        services.feedback_answer(
            by=None, feedback=item, finding=Finding.SUBSTANTIATED,
            answer="经核实，当日窗口工作人员提前离岗，已按中心考核办法处理，并落实A/B角补位。",
            at=_aware(2016, 11, 28, 15, 0),
        )  # fmt: skip
        services.feedback_accept(feedback=item, at=_aware(2016, 11, 29, 10, 0))
    return count
