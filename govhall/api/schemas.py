"""Request and response bodies of the API (their JSON schema is the OpenAPI contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from govhall.cases.choices import CaseStatus, Channel, ConsultationChannel
from govhall.catalog.choices import HandlingType
from govhall.core.workdays import FIRST_DATE, LAST_DATE

MAX_ID = 2**53 - 1  # ids stay exact in every JSON reader


def _text(value: str) -> str:
    # PostgreSQL refuses NUL in text: reject it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError(_("The text holds a control character (NUL)."))
    return value


def _in_calendar(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(
            _("Enter a date between {first} and {last}.").format(first=FIRST_DATE, last=LAST_DATE)
        )
    return value


Text = Annotated[str, AfterValidator(_text)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, AfterValidator(_in_calendar)]
Cursor = Annotated[str, Field(min_length=1, max_length=400), AfterValidator(_text)]
Limit = Annotated[int, Field(ge=1, le=200)]


class Input(Schema):
    """Unknown fields are refused, so a misspelt field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- common -----------------------------------------------------------------------------------


class CenterOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    center: CenterOut
    account: str
    client: str | None = Field(description="The API client's name; null for a session.")
    can_write: bool


# --- catalog ----------------------------------------------------------------------------------


class ItemQuery(Input):
    q: Annotated[Text, Field(max_length=50)] | None = Field(
        None, description="Chinese words, full pinyin or pinyin initials (护照, huzhao, hz)."
    )
    unit: Id | None = None
    cursor: Cursor | None = None
    limit: Limit = 50


class ItemOut(Schema):
    id: int
    code: str
    name: str
    unit_id: int
    unit: str
    category: str
    handling_type: str
    legal_days: float
    promised_days: float


class ItemPage(Schema):
    results: list[ItemOut]
    next_cursor: str | None


class BasicPart(Schema):
    basic_code: str
    category: str
    category_label: str
    target: str
    handling_type: str
    legal_days: float
    promised_days: float
    legal_basis: str
    visits: int
    special_procedures: list[str]
    conditions: str
    place: str
    hours: str
    service_scope: str
    result_name: str
    result_type: str
    phone: str
    version: int
    published_at: dt.datetime | None


class StepOut(Schema):
    name: str
    role: str
    limit_days: float
    standard: str


class FlowchartPart(Schema):
    image_url: str | None = Field(description="A drawn flowchart; null when drawn from the steps.")
    steps: list[str]


class MaterialOut(Schema):
    name: str
    kind: str
    source: str
    necessity: str
    copy_form: str
    copies: int
    medium: str
    note: str
    blank_form_url: str | None
    sample_url: str | None


class FeeLineOut(Schema):
    name: str
    amount: str | None = Field(description="Yuan, as a decimal string; null when not fixed.")
    unit_text: str
    basis: str


class FeesPart(Schema):
    mode: str = Field(description="free, charged, or empty when not stated.")
    lines: list[FeeLineOut]


class FormOut(Schema):
    name: str
    url: str | None


class FormsPart(Schema):
    none_needed: bool
    files: list[FormOut]


class RiskOut(Schema):
    step: str
    risk: str
    level: str
    measure: str


class FaqOut(Schema):
    question: str
    answer: str


class ItemParts(Schema):
    """The eight parts of the guide (八项内容)."""

    basic: BasicPart
    flowchart: FlowchartPart
    materials: list[MaterialOut]
    fees: FeesPart
    forms: FormsPart
    steps: list[StepOut]
    risks: list[RiskOut]
    faqs: list[FaqOut]


class ItemDetail(ItemOut):
    parts: ItemParts


# --- cases ------------------------------------------------------------------------------------


class CaseIn(Input):
    item_code: Annotated[Text, Field(min_length=1, max_length=40)] | None = Field(
        None, description="The item's implementation code (事项编码); or give item_id."
    )
    item_id: Id | None = None
    applicant_name: Annotated[Text, Field(min_length=1, max_length=100)]
    applicant_id_number: Annotated[Text, Field(max_length=32)] = ""
    applicant_phone: Annotated[Text, Field(max_length=20)] = ""
    agent_name: Annotated[Text, Field(max_length=100)] = ""
    agent_id_number: Annotated[Text, Field(max_length=32)] = ""
    agent_phone: Annotated[Text, Field(max_length=20)] = ""
    channel: Channel = Channel.WINDOW
    window_id: Id | None = None


Action = Literal[
    "accept",
    "reject",
    "request_supplement",
    "supplement_complete",
    "record_step",
    "suspend",
    "resume",
    "extend",
    "complete",
    "return",
    "withdraw",
    "void",
]
ACTIONS: tuple[str, ...] = get_args(Action)


class TransitionIn(Input):
    """One step of the case's life; each action reads only the fields it needs."""

    action: Action
    reason: Annotated[Text, Field(max_length=2000)] = Field(
        "", description="reject, suspend, extend, return, withdraw, void"
    )
    materials: Annotated[list[Annotated[Text, Field(max_length=200)]], Field(max_length=50)] = (
        Field(default_factory=list, description="request_supplement: every missing material")
    )
    note: Annotated[Text, Field(max_length=2000)] = Field(
        "", description="request_supplement, complete (a refusal's reasons)"
    )
    result: Annotated[Text, Field(max_length=100)] = Field(
        "",
        description="complete: granted, certificate, refused or referred; record_step: free text",
    )
    name: Annotated[Text, Field(max_length=60)] = Field("", description="record_step: the step")
    opinion: Annotated[Text, Field(max_length=2000)] = Field("", description="record_step")
    kind: Annotated[Text, Field(max_length=16)] = Field(
        "", description="suspend: hearing, inspection, testing, quarantine, appraisal, …"
    )
    days: Annotated[int, Field(ge=1, le=10)] = Field(10, description="extend: working days")
    approved_by: Annotated[Text, Field(max_length=100)] = Field(
        "", description="extend: the unit head who approved it"
    )


class CaseQuery(Input):
    unit: Id | None = None
    status: CaseStatus | None = None
    handling_type: HandlingType | None = None
    accepted_from: Day | None = None
    accepted_to: Day | None = None
    completed_from: Day | None = None
    completed_to: Day | None = None
    overdue: bool | None = Field(
        None, description="true: promised cases past their deadline (open or completed late)."
    )
    cursor: Cursor | None = None
    limit: Limit = 50


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    by: str
    note: str


class CaseOut(Schema):
    number: str
    status: str
    status_label: str
    unit_id: int
    unit: str
    window: str | None
    item_code: str
    item_name: str
    handling_type: str
    promised_days: float
    channel: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    agent_name: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None
    closed_at: dt.datetime | None
    due_at: dt.datetime | None
    due_date: dt.date | None
    result: str
    close_reason: str
    is_overdue: bool


class CaseDetail(CaseOut):
    allowed_actions: list[str]
    events: list[EventOut]


class CasePage(Schema):
    results: list[CaseOut]
    next_cursor: str | None


# --- consultations ---------------------------------------------------------------------------


class ConsultationIn(Input):
    unit_id: Id
    person_times: Annotated[int, Field(ge=1, le=999)] = 1
    topic: Annotated[Text, Field(max_length=400)] = ""
    channel: ConsultationChannel = ConsultationChannel.WINDOW
    item_id: Id | None = None


class ConsultationQuery(Input):
    unit: Id | None = None
    channel: ConsultationChannel | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    cursor: Cursor | None = None
    limit: Limit = 50


class ConsultationOut(Schema):
    id: int
    unit_id: int
    unit: str
    staff: str | None
    item_id: int | None
    at: dt.datetime
    person_times: int
    topic: str
    channel: str


class ConsultationPage(Schema):
    results: list[ConsultationOut]
    next_cursor: str | None


# --- reports ---------------------------------------------------------------------------------


class WarningOut(Schema):
    case_no: str
    unit: str
    item: str
    deadline: dt.date
    level: str


class WarningsOut(Schema):
    date: dt.date
    warnings: list[WarningOut]


FiguresOut = dict[str, Any]


# --- queue (排队叫号) -------------------------------------------------------------------------


class QueueWindowOut(Schema):
    id: int
    name: str


class QueueCategoryOut(Schema):
    code: str
    name: str
    windows: list[QueueWindowOut]


class TicketIn(Input):
    category: Annotated[str, Field(min_length=1, max_length=2, pattern=r"^[A-Za-z]{1,2}$")]
    phone: Annotated[str, Field(max_length=11, pattern=r"^(1\d{10})?$")] = ""
    appointment_code: Annotated[str, Field(max_length=12, pattern=r"^[0-9A-Za-z]{0,12}$")] = ""
    priority: Literal["", "elderly", "green"] = ""


class TicketOut(Schema):
    id: int
    number: str
    category: str
    ahead: int
    estimated_wait_minutes: int


class TicketRef(Schema):
    id: int
    number: str


class CallNextOut(Schema):
    ticket: TicketRef


class TicketFinishIn(Input):
    case_no: Annotated[str, Field(max_length=32, pattern=r"^[0-9A-Za-z_-]{0,32}$")] = ""


class TicketStateOut(Schema):
    id: int
    number: str
    category: str
    status: str
    window: str | None
    skips: int


class DisplayCallOut(Schema):
    number: str
    window: str
    called_at: dt.datetime


class DisplayOut(Schema):
    calls: list[DisplayCallOut]
    waiting: dict[str, int]


# --- regions ---------------------------------------------------------------------------------


class RegionChangeOut(Schema):
    """Change on the previous month (null where either month has no figure)."""

    accepted: int | None
    completed: int | None
    on_time_rate: float | None
    satisfaction: float | None


class RegionCenterOut(Schema):
    center: str
    accepted: int
    completed: int
    on_time_rate: float | None = Field(description="Percent of promised cases done on time.")
    satisfaction: float | None = Field(description="Percent of valid ratings satisfied.")
    red_cards: int
    yellow_cards: int
    patrol_rate: float | None = Field(description="Percent of units with a patrol sign-in.")
    center_id: int
    rank: int
    vacancies: int
    average_wait_minutes: float | None = Field(
        description="Minutes from taking a number to its first call; null without the queue."
    )
    change: RegionChangeOut


class RegionFiguresOut(Schema):
    region: str
    region_id: int
    month: str
    issue: str
    centers: list[RegionCenterOut]
