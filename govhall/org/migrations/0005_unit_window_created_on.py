"""Units and windows get the day they came to the hall (`created_on`).

Existing rows did not record it: each is given the day of its earliest case (received), else
the earliest case of its center, else today — the hall's records show it was there then, and
nothing earlier is known.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def backfill(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Window = apps.get_model("org", "Window")
    Case = apps.get_model("cases", "Case")
    today = timezone.localdate()

    def day(value):
        return timezone.localdate(value) if value else None

    center_first = {
        row["center_id"]: day(row["first"])
        for row in Case.objects.values("center_id").annotate(first=Min("received_at")).order_by()
    }
    unit_first = {
        row["unit_id"]: day(row["first"])
        for row in Case.objects.values("unit_id").annotate(first=Min("received_at")).order_by()
    }
    window_first = {
        row["window_id"]: day(row["first"])
        for row in Case.objects.exclude(window_id=None)
        .values("window_id")
        .annotate(first=Min("received_at"))
        .order_by()
    }
    unit_day = {}
    for unit in Unit.objects.all():
        unit.created_on = unit_first.get(unit.pk) or center_first.get(unit.center_id) or today
        unit_day[unit.pk] = unit.created_on
        unit.save(update_fields=["created_on"])
    for window in Window.objects.all():
        window.created_on = window_first.get(window.pk) or unit_day.get(window.unit_id) or today
        window.save(update_fields=["created_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_drop_role_groups"),
        ("cases", "0005_covering_month_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="created_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The first day the unit was stationed in the hall: the month's lists "
                "(units without cases, patrols) leave it out before then.",
                verbose_name="in the hall since",
            ),
        ),
        migrations.AddField(
            model_name="window",
            name="created_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                help_text="The first day the window served: no vacancy is recorded for it "
                "before then.",
                verbose_name="open since",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
