"""Every record keeps all its attributes: those the first import kept once on the
submission (``shared_extra``, never read back) go back into each record's ``extra``."""

from django.db import migrations

MERGE = """
UPDATE uid_{table} AS r SET extra = (s.shared_extra -> '{kind}') || r.extra
FROM uid_submission AS s
WHERE r.submission_id = s.id AND s.shared_extra -> '{kind}' <> '{{}}'::jsonb;
"""


class Migration(migrations.Migration):
    dependencies = [("uid", "0011_records_kept_by_database_keys")]

    operations = [
        migrations.RunSQL(
            MERGE.format(table="animal", kind="animal") + MERGE.format(table="sample", kind="sample"),
            migrations.RunSQL.noop,
        ),
        migrations.RemoveField(model_name="submission", name="shared_extra"),
    ]
