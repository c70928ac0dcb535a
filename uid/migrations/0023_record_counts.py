"""Each submission's number of animals and samples, kept by the database: statement
triggers (with transition tables, so a COPY of 300,000 rows runs one aggregate, not
300,000 updates) add what is inserted and take off what is deleted. Records never move
from one submission to another, so updates leave the counts alone."""

import django.db.models.deletion
from django.db import migrations, models

INSERTED = """
CREATE FUNCTION uid_records_counted_in() RETURNS trigger AS $$
BEGIN
    INSERT INTO uid_recordcount AS c (submission_id, animals, samples)
    SELECT submission_id,
           CASE WHEN TG_TABLE_NAME = 'uid_animal' THEN count(*) ELSE 0 END,
           CASE WHEN TG_TABLE_NAME = 'uid_sample' THEN count(*) ELSE 0 END
    FROM new_rows GROUP BY submission_id
    ON CONFLICT (submission_id) DO UPDATE
    SET animals = c.animals + EXCLUDED.animals, samples = c.samples + EXCLUDED.samples;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
DELETED = """
CREATE FUNCTION uid_records_counted_out() RETURNS trigger AS $$
BEGIN
    UPDATE uid_recordcount AS c
    SET animals = c.animals - CASE WHEN TG_TABLE_NAME = 'uid_animal' THEN gone.n ELSE 0 END,
        samples = c.samples - CASE WHEN TG_TABLE_NAME = 'uid_sample' THEN gone.n ELSE 0 END
    FROM (SELECT submission_id, count(*) AS n FROM old_rows GROUP BY submission_id) AS gone
    WHERE c.submission_id = gone.submission_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
TRIGGERS = """
CREATE TRIGGER {table}_counted_in AFTER INSERT ON {table}
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
EXECUTE FUNCTION uid_records_counted_in();
CREATE TRIGGER {table}_counted_out AFTER DELETE ON {table}
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
EXECUTE FUNCTION uid_records_counted_out();
"""
UNDO_TRIGGERS = """
DROP TRIGGER {table}_counted_in ON {table};
DROP TRIGGER {table}_counted_out ON {table};
"""
# The submissions there are already, counted once.
BACKFILL = """
INSERT INTO uid_recordcount (submission_id, animals, samples)
SELECT s.id,
       (SELECT count(*) FROM uid_animal a WHERE a.submission_id = s.id),
       (SELECT count(*) FROM uid_sample m WHERE m.submission_id = s.id)
FROM uid_submission s;
"""


class Migration(migrations.Migration):
    dependencies = [("uid", "0022_animal_born_index")]

    operations = [
        migrations.CreateModel(
            name="RecordCount",
            fields=[
                (
                    "submission",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                        related_name="record_count", serialize=False, to="uid.submission",
                    ),
                ),
                ("animals", models.BigIntegerField(default=0)),
                ("samples", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(INSERTED, "DROP FUNCTION uid_records_counted_in();"),
        migrations.RunSQL(DELETED, "DROP FUNCTION uid_records_counted_out();"),
        *[
            migrations.RunSQL(TRIGGERS.format(table=table), UNDO_TRIGGERS.format(table=table))
            for table in ("uid_animal", "uid_sample")
        ],
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
