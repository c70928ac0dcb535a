"""Migration 0012 puts the attributes kept once on a submission back into each record."""

import pytest
from django.core.management import call_command
from django.db import connection

from uid.models import Animal, Sample
from uid.tests.factories import AnimalFactory, SampleFactory

pytestmark = pytest.mark.slow


def test_it_merges_the_shared_attributes_into_every_record(transactional_db):
    sample = SampleFactory(extra={"container": "straw"})
    animal = Animal.objects.get(pk=sample.animal_id)
    other = AnimalFactory(extra={"colour": "black"})
    call_command("migrate", "uid", "0011", verbosity=0)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE uid_submission SET shared_extra = %s::jsonb WHERE id = %s",
                ['{"animal": {}, "sample": {"BRC_name": "CRB"}}', sample.submission_id],
            )
            cursor.execute(
                "UPDATE uid_submission SET shared_extra = '{}'::jsonb WHERE id <> %s",
                [sample.submission_id],
            )
    finally:
        # Every app forward again: going back unapplied the other apps' migrations that
        # depend on uid's later ones (validation's results, say).
        call_command("migrate", verbosity=0)

    assert Sample.objects.get(pk=sample.pk).extra == {"BRC_name": "CRB", "container": "straw"}
    assert Animal.objects.get(pk=animal.pk).extra == animal.extra
    assert Animal.objects.get(pk=other.pk).extra == {"colour": "black"}
