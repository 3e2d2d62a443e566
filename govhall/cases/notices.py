"""The written notices a window prints, generated from the case (pure: no database, no request).

Their wording is the hall's official text, Chinese by nature like the bulletin: it lives here as
data, not as translations. Each builder raises NoticeUnavailable when the case gives no ground
for that notice (a 延期通知书 for a case never extended).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govhall.cases.choices import CaseStatus, Result, SuspensionKind
from govhall.catalog.choices import HandlingType, Necessity
from govhall.core.text import chinese_date, mask_id_number, mask_phone

LOOKUP_HINT = "凭受理编号和手机后四位查询进度"

TITLES = {
    "receipt": "受理回执",
    "supplement": "补正告知书",
    "rejection": "不予受理通知书",
    "suspension": "特别程序告知书",
    "extension": "延期通知书",
    "delivery": "送达回执",
}

RESULT_TEXT = {
    Result.GRANTED: "准予许可",
    Result.CERTIFICATE: "准予许可并发证",
    Result.REFUSED: "不予许可",
    Result.REFERRED: "转报上级机关",
}

PROCEDURE_TEXT = {
    SuspensionKind.HEARING: "听证",
    SuspensionKind.INSPECTION: "检验",
    SuspensionKind.TESTING: "检测",
    SuspensionKind.QUARANTINE: "检疫",
    SuspensionKind.APPRAISAL: "鉴定",
    SuspensionKind.EXPERT_REVIEW: "专家评审",
    SuspensionKind.SUPPLEMENT: "补正材料",
    SuspensionKind.OTHER: "其他特别程序",
}


class NoticeUnavailable(Exception):
    """The case gives no ground for the notice asked for."""


@dataclass(frozen=True)
class Notice:
    """One printable notice as text blocks, in reading order."""

    kind: str
    title: str
    center: str
    unit: str
    number: str
    date: str
    addressee: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    link: str = ""
    signatures: tuple[str, ...] = ()


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _date(value: dt.datetime | dt.date | None) -> str:
    if isinstance(value, dt.datetime):
        value = _local(value)
    return chinese_date(value)


def _moment(value: dt.datetime | None) -> str:
    local = _local(value)
    return f"{chinese_date(local)} {local:%H:%M}" if local else ""


def _days(value: Decimal | int) -> str:
    """7.0 → 7, 0.5 → 0.5."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unit_name(case: Any) -> str:
    return case.unit.full_name or case.unit.name


def _head(case: Any, kind: str, date: dt.datetime | None) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": TITLES[kind],
        "center": case.center.name,
        "unit": _unit_name(case),
        "number": case.number,
        "date": _date(date),
    }


def _applicant(case: Any) -> tuple[tuple[str, str], ...]:
    rows: list[tuple[str, str]] = [("申请人", case.applicant_name)]
    if case.applicant_id_number:
        rows.append(("身份证件号码", mask_id_number(case.applicant_id_number)))
    if case.applicant_phone:
        rows.append(("联系电话", mask_phone(case.applicant_phone)))
    if case.agent_name:
        rows.append(("代理人", case.agent_name))
    return tuple(rows)


def _item(case: Any) -> str:
    return f"“{case.item_version.name}”"


def _stamp(case: Any) -> str:
    return f"{_unit_name(case)}（盖章）"


def receipt(case: Any) -> Notice:
    """受理回执: what was accepted, what was received, when it will be done, how to follow it."""
    if case.accepted_at is None:
        raise NoticeUnavailable("the case has not been accepted")
    window = f"（{case.window.name}）" if case.window_id else ""
    if case.handling_type == HandlingType.IMMEDIATE:
        limit, promised = "即办件", _date(case.due_date) + "（当日办结）"
    else:
        limit, promised = f"承诺件，{_days(case.promised_days)}个工作日", _date(case.due_date)
    materials = tuple(
        f"{m.name}（{m.copies}份）" if m.copies > 1 else m.name
        for m in case.item_version.materials.all()
        if m.necessity == Necessity.REQUIRED
    )
    return Notice(
        **_head(case, "receipt", case.accepted_at),
        facts=(
            ("申请事项", case.item_version.name),
            *_applicant(case),
            ("受理单位", f"{_unit_name(case)}{window}"),
            ("收件时间", _moment(case.received_at)),
            ("受理时间", _moment(case.accepted_at)),
            ("办理时限", limit),
            ("承诺办结日期", promised),
        ),
        paragraphs=("已收到以下申请材料：",) if materials else (),
        items=materials,
        after=(
            f"请妥善保管本回执。您可{LOOKUP_HINT}（政务服务中心触摸屏或网站“办件查询”）。",
            "办理期间依法中止计时的（补正、听证、检验检测、专家评审等），办结日期相应顺延，届时另行告知。",
        ),
        signatures=(
            f"受理人：{case.accepted_by.name if case.accepted_by_id else ''}",
            "申请人（签字）：",
            _stamp(case),
        ),
    )


def supplement(case: Any, *, notice: Any, upload_url: str) -> Notice:
    """补正告知书 (行政许可法 第三十二条): every missing material at once, and where to send it."""
    if notice is None:
        raise NoticeUnavailable("no supplement notice")
    if notice.after_acceptance:
        clock = "补正期间不计入办理时限；材料补正齐全后继续办理，办结日期相应顺延。"
    else:
        clock = "材料补正齐全之日即予受理，办理时限自受理之日的次日起计算。"
    after = [*(f"说明：{notice.note}",)] if notice.note else []
    after += [
        clock,
        "您可以扫描下方二维码或者访问以下网址在线上传补正材料，无需再次往返窗口；"
        "也可以携带上述材料到窗口补正。",
    ]
    return Notice(
        **_head(case, "supplement", notice.issued_at),
        addressee=f"{case.applicant_name}：",
        paragraphs=(
            f"您于{_date(case.received_at)}申请办理的{_item(case)}（受理编号：{case.number}），"
            "经审查，申请材料不齐全或者不符合法定形式。依据《中华人民共和国行政许可法》"
            "第三十二条的规定，现一次性告知您需要补正的全部材料如下：",
        ),
        items=tuple(notice.materials),
        after=tuple(after),
        link=upload_url,
        signatures=("申请人（签收）：", _stamp(case)),
    )


def rejection(case: Any) -> Notice:
    """不予受理通知书: the reason, and the applicant's right to contest it."""
    if case.status != CaseStatus.REJECTED:
        raise NoticeUnavailable("the case was not refused")
    return Notice(
        **_head(case, "rejection", case.closed_at),
        addressee=f"{case.applicant_name}：",
        paragraphs=(
            f"您于{_date(case.received_at)}提出的{_item(case)}申请（受理编号：{case.number}），"
            "经审查，本单位决定不予受理。理由如下：",
            case.close_reason,
        ),
        after=(
            "如对本决定不服，可以依法申请行政复议或者提起行政诉讼：申请行政复议的，"
            "应当自收到本通知书之日起六十日内提出；提起行政诉讼的，应当自收到本通知书之日起六个月内提出。",
        ),
        signatures=("申请人（签收）：", _stamp(case)),
    )


def suspension(case: Any, *, pause: Any) -> Notice:
    """特别程序告知书 (第四十五条): the procedure, its reason, and that its time is not counted."""
    if pause is None or pause.kind == SuspensionKind.SUPPLEMENT:
        raise NoticeUnavailable("no special procedure")
    kind = PROCEDURE_TEXT.get(pause.kind, pause.kind)
    after = [f"特别程序自{_date(pause.started_at)}起计算。"]
    if pause.ended_at is not None:
        after.append(
            f"该程序已于{_date(pause.ended_at)}结束，历时{pause.workdays}个工作日，"
            f"办结日期相应顺延至{_date(case.due_date)}。"
        )
    else:
        after.append("程序结束后恢复计时，办结日期相应顺延，届时另行告知。")
    return Notice(
        **_head(case, "suspension", pause.started_at),
        addressee=f"{case.applicant_name}：",
        paragraphs=(
            f"您申请的{_item(case)}（受理编号：{case.number}），依法需要进行{kind}。"
            f"依据《中华人民共和国行政许可法》第四十五条的规定，{kind}所需时间不计算在办理期限内。",
            f"事由：{pause.reason}",
        ),
        facts=(("特别程序", kind),),
        after=tuple(after),
        signatures=("申请人（签收）：", _stamp(case)),
    )


def extension(case: Any) -> Notice:
    """延期通知书 (第四十二条): the extra days, the new due date and who approved them."""
    ext = getattr(case, "extension", None)
    if ext is None:
        raise NoticeUnavailable("the case was not extended")
    return Notice(
        **_head(case, "extension", ext.granted_at),
        addressee=f"{case.applicant_name}：",
        paragraphs=(
            f"您申请的{_item(case)}（受理编号：{case.number}），因{ext.reason.rstrip('。')}，"
            "不能在规定期限内作出决定。经本单位负责人批准，依据《中华人民共和国行政许可法》"
            f"第四十二条的规定，办理期限延长{ext.days}个工作日，延长后的办结日期为"
            f"{_date(case.due_date)}。",
        ),
        facts=(
            ("延长期限", f"{ext.days}个工作日"),
            ("批准人", ext.approved_by),
            ("批准日期", _date(ext.granted_at)),
            ("延长后办结日期", _date(case.due_date)),
        ),
        signatures=("申请人（签收）：", _stamp(case)),
    )


def delivery(case: Any) -> Notice:
    """送达回执: the result handed (or sent) to the applicant, signed for."""
    if case.status != CaseStatus.COMPLETED:
        raise NoticeUnavailable("the case is not completed")
    document = case.item_version.result_name or RESULT_TEXT.get(case.result, "")
    facts: list[tuple[str, str]] = [
        ("申请事项", case.item_version.name),
        ("受送达人", case.applicant_name),
    ]
    if case.agent_name:
        facts.append(("代理人", case.agent_name))
    facts += [
        ("办理结果", RESULT_TEXT.get(case.result, "")),
        ("送达文书", document),
        ("办结时间", _moment(case.completed_at)),
        ("送达方式", "□ 窗口领取　□ 邮寄送达　□ 其他"),
    ]
    if case.close_reason:
        facts.append(("说明", case.close_reason))
    return Notice(
        **_head(case, "delivery", case.completed_at),
        facts=tuple(facts),
        signatures=(
            "受送达人（签名）：",
            "签收日期：　　　　年　　月　　日",
            f"送达人：{case.completed_by.name if case.completed_by_id else ''}",
            _stamp(case),
        ),
    )


def pick(rows: list[Any], chosen: int | None) -> Any:
    """The row asked for by id, else the latest (rows come newest last)."""
    if chosen is not None:
        return next((r for r in rows if r.pk == chosen), None)
    return rows[-1] if rows else None


def build(
    kind: str, case: Any, *, upload_url_for: Callable[[str], str], chosen: int | None = None
) -> Notice:
    """The notice `kind` of the case; `chosen` picks one of several supplements or procedures."""
    if kind == "receipt":
        return receipt(case)
    if kind == "supplement":
        notices = sorted(case.supplements.all(), key=lambda n: (n.issued_at, n.pk))
        notice = pick(notices, chosen)
        return supplement(
            case, notice=notice, upload_url=upload_url_for(notice.token) if notice else ""
        )
    if kind == "rejection":
        return rejection(case)
    if kind == "suspension":
        pauses = sorted(
            (p for p in case.pauses.all() if p.kind != SuspensionKind.SUPPLEMENT),
            key=lambda p: (p.started_at, p.pk),
        )
        return suspension(case, pause=pick(pauses, chosen))
    if kind == "extension":
        return extension(case)
    if kind == "delivery":
        return delivery(case)
    raise NoticeUnavailable(f"unknown notice {kind}")
