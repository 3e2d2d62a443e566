"""Seed the working-day calendar with the official schedule shipped in `chinesecalendar`."""

from django.db import migrations

PACKAGE = "package"


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    chinese = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}

    def name_of(english):
        return chinese.get(english, english or "")

    days = {}
    for day, english in chinese_calendar.holidays.items():
        days[day] = CalendarDay(date=day, is_workday=False, name=name_of(english), source=PACKAGE)
    for day, english in chinese_calendar.workdays.items():
        name = name_of(english)
        days[day] = CalendarDay(
            date=day,
            is_workday=True,
            name=f"{name}调休上班" if name else "调休上班",
            source=PACKAGE,
        )
    # Days the office has already entered win over the package.
    existing = set(CalendarDay.objects.filter(date__in=list(days)).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [row for day, row in sorted(days.items()) if day not in existing],
        batch_size=500,
        ignore_conflicts=True,
    )

    years = sorted({day.year for day in days})
    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=year, complete=True, source=PACKAGE, note="chinesecalendar")
            for year in years
            if year not in known
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source=PACKAGE).delete()
    apps.get_model("core", "CalendarYear").objects.filter(source=PACKAGE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
