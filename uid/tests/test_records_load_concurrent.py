"""Two imports at once, both adding the same new dictionary rows: neither fails.

New breeds (and organism parts, stages, publications) are shared rows, inserted inside
each import's transaction. Two imports that insert the same new rows in opposite orders
would each wait for the other (a deadlock, and one import lost) unless every import
inserts them in one order. The test makes the overlap certain instead of lucky: a third
transaction holds one of the new breeds while both imports start.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection, connections

from injecttool.testing.db import current_database_url
from uid.models import Animal, Breed, Country, Species, Submission
from uid.records import AnimalRecord
from uid.services.dictionaries import dictionaries_seed
from uid.services.loader import records_load

BREEDS = [f"Breed {letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
HELD = "Breed M"


def animals(breeds: list[str]) -> list[AnimalRecord]:
    return [
        AnimalRecord(name=f"ewe-{n}", breed=breed, species="Sheep", country="Germany", sex="female")
        for n, breed in enumerate(breeds)
    ]


def submission_of(user) -> Submission:
    return Submission.objects.create(
        owner=user, title="sheep", gene_bank_name="Cryobank", datasource_type="cryoweb",
        gene_bank_country=Country.objects.get(label="Germany"), datasource_version="1",
    )  # fmt: skip


def blocked_backends(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    return cursor.fetchone()[0]


@pytest.mark.attack
def test_it_loads_two_imports_adding_the_same_new_breeds_in_opposite_orders(
    transactional_db, django_user_model
):
    dictionaries_seed()
    # One curator's two imports at once: new breeds are that curator's proposals, so it
    # is within one curator that the same new rows meet.
    alice = django_user_model.objects.create_user("alice")
    forwards, backwards = submission_of(alice), submission_of(alice)
    sheep = Species.objects.get(taxon_id=9940)
    germany = Country.objects.get(label="Germany")
    errors: dict[str, BaseException] = {}

    def load(name: str, submission: Submission, breeds: list[str]) -> None:
        try:
            records_load(submission=submission, records=animals(breeds))
        except BaseException as error:  # reported by the assertion below
            errors[name] = error
        finally:
            connections.close_all()

    # Another transaction has inserted one of the new breeds and not committed yet.
    with psycopg.connect(current_database_url()) as holder:
        holder.execute(
            "INSERT INTO uid_breed (supplied_breed, species_id, country_id, mapped_breed, "
            "mapped_breed_term, confidence, proposed_by_id) VALUES (%s, %s, %s, '', '', 'low', %s)",
            (HELD, sheep.pk, germany.pk, alice.pk),
        )
        threads = [
            threading.Thread(target=load, args=("forwards", forwards, BREEDS)),
            threading.Thread(target=load, args=("backwards", backwards, BREEDS[::-1])),
        ]
        for thread in threads:
            thread.start()
        # Both imports are inside their breed insert, waiting on a lock, before it ends.
        with connection.cursor() as cursor:
            deadline = time.monotonic() + 60
            while blocked_backends(cursor) < 2:
                assert time.monotonic() < deadline, f"the imports did not meet: {errors}"
                time.sleep(0.05)
        holder.rollback()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == {}
    for submission in (forwards, backwards):
        assert Animal.objects.filter(submission=submission).count() == len(BREEDS)
    assert Breed.objects.filter(supplied_breed__in=BREEDS, species=sheep).count() == len(BREEDS)
