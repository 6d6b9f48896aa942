"""Summaries kb wrote as text become a code and parameters (history.summaries).

Existing rows are converted from the English and Japanese wordings kb used; a summary a
person typed stays as it was.
"""

import re

from django.db import migrations, models

PATTERNS = [
    (re.compile(r"^(?:Restored revision (\d+)|版 (\d+) に戻しました)\.?$"), "restored", "number"),
    (re.compile(r"^(?:Restored after deletion|削除から復元)$"), "undeleted", None),
    (re.compile(r"^imported from (.+)$", re.S), "imported", "source"),
    (re.compile(r"^import_tldr (.+)$", re.S), "tldr_imported", "page"),
]
ENGLISH = {
    "restored": "Restored revision %(number)d",
    "undeleted": "Restored after deletion",
    "imported": "imported from %(source)s",
    "tldr_imported": "import_tldr %(page)s",
}


def to_codes(apps, schema_editor):
    Revision = apps.get_model("history", "Revision")
    pending = []
    for rev in Revision.objects.exclude(message="").only("pk", "message").iterator():
        for pattern, code, param in PATTERNS:
            found = pattern.match(rev.message)
            if not found:
                continue
            value = next((g for g in found.groups() if g is not None), None)
            params = {}
            if param == "number":
                params[param] = int(value)
            elif param:
                params[param] = value
            rev.message, rev.message_code, rev.message_params = "", code, params
            pending.append(rev)
            break
        if len(pending) >= 2000:
            Revision.objects.bulk_update(pending, ["message", "message_code", "message_params"])
            pending = []
    Revision.objects.bulk_update(pending, ["message", "message_code", "message_params"])


def to_text(apps, schema_editor):
    Revision = apps.get_model("history", "Revision")
    for rev in Revision.objects.exclude(message_code="").iterator():
        rev.message = (ENGLISH.get(rev.message_code, rev.message_code) % rev.message_params)[:200]
        rev.save(update_fields=["message"])


class Migration(migrations.Migration):
    dependencies = [("history", "0003_bulk_import_kind")]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="message_code",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="revision",
            name="message_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(to_codes, to_text),
    ]
