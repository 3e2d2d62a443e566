"""A/B vacancies (空岗): the posts whose holder and backup were both away, recorded per day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.access import Actor, require
from govhall.core.audit import audit_record
from govhall.core.calendar import get_calendar
from govhall.core.text import chinese_date
from govhall.org.hours import hours_of
from govhall.org.models import Center, Post
from govhall.staffing import selectors
from govhall.staffing.models import Vacancy
from govhall.staffing.rules import vacancy
from govhall.staffing.services._common import _now


@transaction.atomic
def vacancies_record(*, center: Center, date: dt.date, by: Actor = None) -> list[Vacancy]:
    """Record the day's vacancies: each post whose holder and backup were both away (leave,
    outing, or no punch all day) with nobody named to cover. Running it again for the same day
    brings the records up to date and changes nothing else."""
    if by is not None:
        require(by, "staffing.add_vacancy", center_id=center.pk)
    existing = {
        (v.window_id, v.primary_id, v.backup_id): v
        for v in Vacancy.objects.filter(center=center, date=date)
    }
    found: dict[tuple[int, int, int], Vacancy] = {}
    if get_calendar(center).is_workday(date):
        hours = hours_of(center)(date)
        away = selectors.away_on(center=center, date=date, judge_absence=True, hours=hours)
        posts = (
            Post.objects.filter(
                center=center,
                window__created_on__lte=date,  # not yet in the hall: nobody's post to leave
                window__unit__created_on__lte=date,
                window__is_active=True,
                primary__is_active=True,
                backup__is_active=True,
            )
            .select_related("window", "primary", "backup")
            .order_by("pk")
        )
        seen: set[tuple[int, frozenset[int]]] = set()
        for post in posts:
            pair = (post.window_id, frozenset({post.primary_id, post.backup_id}))
            if pair in seen:  # A↔B and B↔A: one window with nobody, counted once
                continue
            seen.add(pair)
            a = [x for x in away.get(post.primary_id, []) if not x.covered]
            b = [x for x in away.get(post.backup_id, []) if not x.covered]
            minutes, half = vacancy(
                hours=hours,
                primary_away=[x.interval for x in a],
                backup_away=[x.interval for x in b],
            )
            if not minutes or half is None:
                continue
            reason = _("A {a}: {a_why}; B {b}: {b_why}").format(
                a=post.primary.name,
                a_why="、".join(dict.fromkeys(x.label for x in a)),
                b=post.backup.name,
                b_why="、".join(dict.fromkeys(x.label for x in b)),
            )[:400]
            key = (post.window_id, post.primary_id, post.backup_id)
            found[key] = Vacancy(
                center=center, unit_id=post.window.unit_id, window_id=post.window_id, post=post,
                primary_id=post.primary_id, backup_id=post.backup_id, date=date, half=half,
                minutes=minutes, reason=reason, recorded_at=_now(),
            )  # fmt: skip
    changed = []
    for key, vacancy_row in found.items():
        old = existing.get(key)
        if old is None:
            vacancy_row.save()
            changed.append({"window": key[0], "half": vacancy_row.half, "new": True})
        elif (old.half, old.minutes, old.reason) != (
            vacancy_row.half,
            vacancy_row.minutes,
            vacancy_row.reason,
        ):
            old.half, old.minutes, old.reason = (
                vacancy_row.half,
                vacancy_row.minutes,
                vacancy_row.reason,
            )
            old.recorded_at = vacancy_row.recorded_at
            old.save(update_fields=["half", "minutes", "reason", "recorded_at"])
            found[key] = old
            changed.append({"window": key[0], "half": old.half, "new": False})
        else:
            found[key] = old
    gone = [v for key, v in existing.items() if key not in found]
    for v in gone:
        changed.append({"window": v.window_id, "half": v.half, "removed": True})
        v.delete()
    if changed:
        audit_record(
            by=by,
            action="vacancy.record",
            center_id=center.pk,
            object_type="staffing.vacancy",
            object_id=date.isoformat(),
            object_repr=_("vacancies of {date}").format(date=chinese_date(date)),
            after={"date": date.isoformat(), "changes": changed},
        )
    return list(found.values())
