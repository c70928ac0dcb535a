"""Parents and a sample's animal must belong to the same owner: composite foreign keys.

Deferred to commit time so that the bulk loader may insert records in any order.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE uid_animal ADD CONSTRAINT uid_animal_father_same_owner
    FOREIGN KEY (father_id, owner_id) REFERENCES uid_animal (id, owner_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE uid_animal ADD CONSTRAINT uid_animal_mother_same_owner
    FOREIGN KEY (mother_id, owner_id) REFERENCES uid_animal (id, owner_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE uid_sample ADD CONSTRAINT uid_sample_animal_same_owner
    FOREIGN KEY (animal_id, owner_id) REFERENCES uid_animal (id, owner_id)
    DEFERRABLE INITIALLY DEFERRED;
"""

BACKWARD = """
ALTER TABLE uid_animal DROP CONSTRAINT uid_animal_father_same_owner;
ALTER TABLE uid_animal DROP CONSTRAINT uid_animal_mother_same_owner;
ALTER TABLE uid_sample DROP CONSTRAINT uid_sample_animal_same_owner;
"""


class Migration(migrations.Migration):
    dependencies = [("uid", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
