"""Roles no longer live in Django groups (a group is global; a role is held in one center)."""

from django.db import migrations


def drop_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__startswith="govhall:").delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0003_hallhours"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(drop_role_groups, migrations.RunPython.noop)]
