"""The hall's organization: centers, units, windows, staff, A/B posts and who may log in where."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.text import pinyin_key
from govhall.org.choices import RegionKind, RegionRole, Role, StaffRole


class Region(models.Model):
    """An administrative region (省, 市, 县) over centers: a city's supervisors read its centers."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. 随州市"))
    kind = models.CharField(_("level"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Used in the regional bulletin's issue number, e.g. 随州市政务服务."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values), name="region_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionMembership(models.Model):
    """A regional role (区域监管): reads every center under the region, writes nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="region_memberships",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=RegionRole.choices, default=RegionRole.SUPERVISOR
    )

    class Meta:
        ordering = ["region", "role"]
        verbose_name = _("regional membership")
        verbose_name_plural = _("regional memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"], name="region_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region.name}"


class Center(models.Model):
    """A government service center (政务服务中心): one hall."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centers",
        help_text=_("The county (or city) the hall serves; regional supervisors read it."),
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Used in the bulletin's issue number, e.g. 随县政务服务."),
    )
    office_name = models.CharField(
        _("issuing office"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 随县政务服务中心管理办公室"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    kiosk_idle_seconds = models.PositiveIntegerField(
        _("kiosk idle time (seconds)"),
        default=90,
        help_text=_("The touch screen returns to its home page after this long without a touch."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A deployment hosting several halls (a city with its counties) names its own: commands
    # act on it when no --center is given. With one center, that one is the default anyway.
    is_home = models.BooleanField(
        _("the deployment's own center"),
        default=False,
        help_text=_("Commands act on this center when no --center is named."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="center_one_home"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HallHours(models.Model):
    """作息时间: the hall's hours from a day of the year until the next variant (e.g. winter, summer)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="hours"
    )
    name = models.CharField(_("name"), max_length=40, help_text=_("e.g. 冬季作息时间"))
    from_month = models.PositiveSmallIntegerField(_("from month"))
    from_day = models.PositiveSmallIntegerField(_("from day"))
    morning_start = models.TimeField(_("morning opens"))
    morning_end = models.TimeField(_("morning closes"))
    afternoon_start = models.TimeField(_("afternoon opens"))
    afternoon_end = models.TimeField(_("afternoon closes"))

    class Meta:
        ordering = ["center", "from_month", "from_day"]
        verbose_name = _("hall hours")
        verbose_name_plural = _("hall hours")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "from_month", "from_day"], name="hall_hours_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="hall_hours_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.from_month}月{self.from_day}日起"


class Unit(models.Model):
    """A department stationed in the hall (入驻单位), such as 公安局."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, help_text=_("e.g. 随县公安局")
    )
    sort_key = models.CharField(_("pinyin sort key"), max_length=400, editable=False)
    position = models.PositiveIntegerField(_("display order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_on = models.DateField(
        _("in the hall since"),
        default=timezone.localdate,
        help_text=_(
            "The first day the unit was stationed in the hall: the month's lists (units without "
            "cases, patrols) leave it out before then."
        ),
    )

    class Meta:
        ordering = ["position", "sort_key"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="unit_unique_name_in_center"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sort_key = pinyin_key(self.name)
        super().save(*args, **kwargs)


class Window(models.Model):
    """A counter of a unit (窗口), such as 公安局出入境窗口."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="windows"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="windows"
    )
    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(_("window number"), max_length=20, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_on = models.DateField(
        _("open since"),
        default=timezone.localdate,
        help_text=_("The first day the window served: no vacancy is recorded for it before then."),
    )

    class Meta:
        ordering = ["unit__position", "unit__sort_key", "number", "name"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="window_unique_name_in_unit"),
        ]

    def __str__(self) -> str:
        if self.name.startswith(self.unit.name):
            return self.name
        return f"{self.unit.name}{self.name}"

    def clean(self) -> None:
        if self.unit_id and self.center_id and self.unit.center_id != self.center_id:
            raise ValidationError({"unit": _("The unit belongs to another center.")})


class Staff(models.Model):
    """A person posted to the hall by a unit (工作人员); one per unit is its chief (首席代表)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff"
    )
    window = models.ForeignKey(
        Window,
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(
        _("role"), max_length=16, choices=StaffRole.choices, default=StaffRole.CLERK
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    staff_no = models.CharField(
        _("staff number"),
        max_length=30,
        blank=True,
        help_text=_("The number used by the attendance terminal."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    # Shown on the window's rating pad and screen; stored under a random name, served to staff
    # through org:staff_photo after its content is checked again.
    photo = models.ImageField(_("photo"), upload_to="staff/", blank=True)
    sort_key = models.CharField(_("pinyin sort key"), max_length=200, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__position", "unit__sort_key", "role", "sort_key"]  # chief before clerk
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role=StaffRole.CHIEF, is_active=True),
                name="staff_one_active_chief_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["center", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.sort_key = pinyin_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_chief(self) -> bool:
        return self.role == StaffRole.CHIEF


class Post(models.Model):
    """An A/B post (A角/B角): the holder and the colleague who must cover when the holder is away."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="posts"
    )
    window = models.ForeignKey(
        Window, verbose_name=_("window"), on_delete=models.PROTECT, related_name="posts"
    )
    primary = models.OneToOneField(
        Staff,
        verbose_name=_("A role (holder)"),
        on_delete=models.PROTECT,
        related_name="primary_post",
    )
    backup = models.ForeignKey(
        Staff,
        verbose_name=_("B role (backup)"),
        on_delete=models.PROTECT,
        related_name="backup_posts",
    )

    class Meta:
        ordering = ["window", "primary__sort_key"]
        verbose_name = _("A/B post")
        verbose_name_plural = _("A/B posts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(primary=models.F("backup")), name="post_backup_is_not_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window}: A {self.primary} / B {self.backup}"


class Membership(models.Model):
    """What a login account may see: a role in a center, and for unit roles, in one unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["center", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "center", "unit", "role"], name="membership_unique"
            ),
            # Unit roles need their unit; center-wide roles see every unit and name none.
            models.CheckConstraint(
                condition=(
                    Q(role__in=[Role.OFFICE, Role.SUPERVISOR], unit__isnull=True)
                    | Q(
                        role__in=[Role.CHIEF, Role.WINDOW_STAFF, Role.UNIT_LEADER],
                        unit__isnull=False,
                    )
                ),
                name="membership_unit_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.center.name
        return f"{self.user} · {self.get_role_display()} · {where}"
