"""A record with a BioSamples accession is never deleted, whatever deletes it: it is
withdrawn from BioSamples instead (biosample.services). The database refuses it, so no
code path (a cascade, a bulk delete, the admin) can lose the link to an archived sample."""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION uid_refuse_accessioned_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the record "%" has the BioSamples accession %: it is withdrawn, never deleted',
        OLD.name, OLD.accession
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
"""
# WHEN: the function runs only for accessioned rows (a bulk delete of others pays nothing).
TRIGGER = """
CREATE TRIGGER {table}_keep_accessioned BEFORE DELETE ON {table}
FOR EACH ROW WHEN (OLD.accession IS NOT NULL AND OLD.accession <> '')
EXECUTE FUNCTION uid_refuse_accessioned_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("uid", "0019_record_indexes")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION uid_refuse_accessioned_delete();"),
        *[
            migrations.RunSQL(
                TRIGGER.format(table=table), f"DROP TRIGGER {table}_keep_accessioned ON {table};"
            )
            for table in ("uid_animal", "uid_sample")
        ],
    ]
