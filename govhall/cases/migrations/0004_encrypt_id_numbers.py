"""ID numbers encrypted at rest (core.crypto): the columns become text holding Fernet tokens,
and the rows already stored are encrypted in place."""

from django.db import migrations

import govhall.core.crypto

FIELDS = {"case": ["applicant_id_number", "agent_id_number"], "appointment": ["id_number"]}
BATCH = 500


def encrypt_rows(apps, schema_editor):
    from django.db.models import Q

    for model_name, fields in FIELDS.items():
        model = apps.get_model("cases", model_name)
        # Reading a clear value returns it as it is; saving it stores its token.
        pending = model.objects.filter(Q(*[~Q(**{f: ""}) for f in fields], _connector=Q.OR)).only(
            "pk", *fields
        )
        batch = []
        for row in pending.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, fields)
                batch = []
        if batch:
            model.objects.bulk_update(batch, fields)


def decrypt_rows(apps, schema_editor):
    from govhall.core.crypto import decrypt

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, fields in FIELDS.items():
        table = apps.get_model("cases", model_name)._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {', '.join(quote(f) for f in fields)} FROM {quote(table)}"  # noqa: S608
            )
            rows = cursor.fetchall()
            for pk, *values in rows:
                if not any(values):
                    continue
                assignments = ", ".join(f"{quote(f)} = %s" for f in fields)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*(decrypt(v or "") for v in values), pk],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_scale_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointment",
            name="id_number",
            field=govhall.core.crypto.EncryptedTextField(
                blank=True, max_length=18, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="agent_id_number",
            field=govhall.core.crypto.EncryptedTextField(
                blank=True, max_length=32, verbose_name="agent ID number"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="applicant_id_number",
            field=govhall.core.crypto.EncryptedTextField(
                blank=True, max_length=32, verbose_name="ID number"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
    ]
