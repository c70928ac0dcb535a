"""The bulk loader: all of a file or nothing, names resolved whatever the order."""

import pytest

from uid.models import Animal, Breed, Country, OrganismPart, Sample, Species, Status, Submission
from uid.records import AnimalRecord, BreedRecord, SampleRecord
from uid.services.dictionaries import dictionaries_seed
from uid.services.loader import LoadError, UnknownSpeciesWords, records_load


@pytest.fixture
def submission(db, alice):
    dictionaries_seed()
    return Submission.objects.create(
        owner=alice,
        title="Sheep of Germany",
        gene_bank_name="Cryobank",
        gene_bank_country=Country.objects.get(label="Germany"),
        datasource_type="cryoweb",
        datasource_version="1",
    )


def sheep(name, **kwargs):
    base = dict(breed="Merinolandschaf", species="Schaf", country="Germany", sex="female")
    return AnimalRecord(name=name, **{**base, **kwargs})


def semen(name, animal, **kwargs):
    return SampleRecord(name=name, animal=animal, **{"organism_part": "semen", **kwargs})


def family():
    # The child comes first: order in the file must not matter.
    return [
        sheep("child", father="sire", mother="dam", source="line 3"),
        semen("straw-1", "sire", collection_date="2019-04-01"),
        sheep("sire", sex="male", source="line 1"),
        sheep("dam", source="line 2"),
        BreedRecord(supplied_breed="Merinolandschaf", species="Schaf", country="Germany"),
    ]


def test_it_loads_animals_samples_and_parents(submission):
    result = records_load(submission=submission, records=family())

    assert (result.animals, result.samples) == (3, 1)
    child = Animal.objects.get(submission=submission, name="child")
    assert child.father.name == "sire" and child.mother.name == "dam"
    assert child.species == Species.objects.get(taxon_id=9940)
    assert child.sex.label == "female"
    assert child.status == Status.LOADED and child.owner == submission.owner
    straw = Sample.objects.get(submission=submission, name="straw-1")
    assert straw.animal.name == "sire" and straw.organism_part.label == "semen"
    assert straw.organism_part.term == "UBERON_0001968"
    assert (
        Breed.objects.filter(supplied_breed="Merinolandschaf", country__label="Germany").count()
        == 1
    )


def test_it_matches_breeds_whatever_their_capitals_and_spacing(submission):
    records_load(
        submission=submission,
        records=[sheep("a", breed="Merinolandschaf"), sheep("b", breed=" merinolandschaf  ")],
    )
    later = Submission.objects.create(
        owner=submission.owner, title="more sheep", gene_bank_name="Cryobank",
        gene_bank_country=submission.gene_bank_country, datasource_type="crbanim",
        datasource_version="2",
    )  # fmt: skip
    result = records_load(submission=later, records=[sheep("c", breed="MERINOLANDSCHAF")])

    breed = Breed.objects.get()
    assert breed.supplied_breed == "Merinolandschaf"  # the first spelling met
    assert set(Animal.objects.values_list("breed", flat=True)) == {breed.pk}
    assert result.breeds_created == 0


def test_it_does_a_constant_number_of_queries(submission, django_assert_max_num_queries):
    many = [sheep(f"a{i}", father="a0" if i else None) for i in range(300)]
    many += [semen(f"s{i}", f"a{i % 300}") for i in range(600)]
    with django_assert_max_num_queries(40):
        records_load(submission=submission, records=many)
    assert Sample.objects.filter(submission=submission).count() == 600


def test_it_gives_unknown_sex_for_other_words(submission):
    records_load(submission=submission, records=[sheep("x", sex="?")])
    assert Animal.objects.get(name="x").sex.term == "OBI_0000858"


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([sheep("a"), sheep("a", source="line 9")], "line 9: animal id 'a' is used twice"),
        ([sheep("a", father="ghost", source="line 4")], "line 4: the father 'ghost' of animal 'a'"),
        (
            [sheep("a"), semen("s", "nobody", source="row 2")],
            "row 2: the animal 'nobody' of sample",
        ),
        (
            [sheep("a", father="b"), sheep("b", father="c"), sheep("c", father="a")],
            "parents form a cycle",
        ),
        ([sheep("a", country="Atlantis", source="line 5")], "line 5: unknown country 'Atlantis'"),
        ([sheep("a", father="a")], "is its own father"),
        ([], "the file holds no animals and no samples"),
        (
            [sheep("a"), semen("s", "a", storage="x" * 200, source="row 4")],
            "row 4: the storage of 's' is 200 characters long; at most 128 fit",
        ),
        ([sheep("a"), semen("s", "a", organism_part=" ", source="row 5")], "has no organism part"),
    ],
)
def test_it_refuses_records_that_do_not_fit_and_writes_nothing(submission, records, expected):
    with pytest.raises(LoadError) as caught:
        records_load(submission=submission, records=records)
    assert expected in str(caught.value)
    assert not Animal.objects.exists() and not Sample.objects.exists()


def _other_submission(owner, country) -> Submission:
    return Submission.objects.create(
        owner=owner, title="other", gene_bank_name="x", datasource_version="1",
        gene_bank_country=country, datasource_type="crbanim",
    )  # fmt: skip


def test_it_refuses_an_accession_that_another_of_your_records_holds(submission):
    other = _other_submission(submission.owner, submission.gene_bank_country)
    records_load(submission=other, records=[sheep("old-name", accession="SAMEA100")])

    with pytest.raises(LoadError) as caught:
        records_load(submission=submission, records=[sheep("a", accession="SAMEA100")])

    assert "accession SAMEA100 of 'a' already belongs to your record 'old-name'" in str(
        caught.value
    )


def test_it_refuses_an_accession_of_another_curator_without_naming_their_record(
    submission, django_user_model
):
    bob = django_user_model.objects.create_user("bob")
    records_load(
        submission=_other_submission(bob, submission.gene_bank_country),
        records=[sheep("bobs-secret-ram", accession="SAMEA200")],
    )

    with pytest.raises(LoadError) as caught:
        records_load(submission=submission, records=[sheep("a", accession="SAMEA200")])

    message = str(caught.value)
    assert "accession SAMEA200 of 'a' already belongs to a record of another InjectTool user" in (
        message
    )
    assert "bobs-secret-ram" not in message
    assert not Animal.objects.filter(submission=submission).exists()


def test_it_lists_every_problem_one_per_line_up_to_fifty(submission):
    records = [sheep("a")]
    records += [semen(f"s{n}", "nobody", source=f"row {n + 2}") for n in range(60)]
    with pytest.raises(LoadError) as caught:
        records_load(submission=submission, records=records)
    lines = str(caught.value).splitlines()
    assert lines[0] == "60 problems:"
    assert lines[1].startswith("- row 2: the animal 'nobody' of sample 's0'")
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "- and 10 more"


def test_it_lists_unknown_species_words_and_writes_nothing(submission):
    records = [sheep("a", species="Zebroid"), sheep("b", species="Okapi-ish")]
    with pytest.raises(UnknownSpeciesWords) as caught:
        records_load(submission=submission, records=records)
    assert caught.value.words == ["Okapi-ish", "Zebroid"]
    assert not Animal.objects.exists()
    assert not Breed.objects.exists()


def test_it_rolls_back_everything_when_the_database_refuses(submission, alice):
    other = Submission.objects.create(
        owner=alice, title="other", gene_bank_name="x", datasource_version="1",
        gene_bank_country=submission.gene_bank_country, datasource_type="crbanim",
    )  # fmt: skip
    records_load(submission=other, records=[sheep("taken", accession="SAMEA1")])
    parts_before = OrganismPart.objects.count()
    records = [
        sheep("a"),
        semen("s", "a", organism_part="new part"),
        sheep("b", accession="SAMEA1"),
    ]
    with pytest.raises(LoadError, match="SAMEA1 of 'b' already belongs"):
        records_load(submission=submission, records=records)
    assert not Animal.objects.filter(submission=submission).exists()
    assert OrganismPart.objects.count() == parts_before


def test_a_reload_replaces_unsubmitted_records_and_keeps_accessioned_ones(submission):
    records_load(submission=submission, records=family())
    Animal.objects.filter(name="dam").update(accession="SAMEA100", status=Status.COMPLETED)
    Sample.objects.filter(name="straw-1").update(accession="SAMEA200", status=Status.COMPLETED)
    dam_id = Animal.objects.get(name="dam").pk

    result = records_load(
        submission=submission,
        records=[sheep("sire", sex="male", birth_date="2001"), sheep("newcomer")],
    )

    names = set(Animal.objects.filter(submission=submission).values_list("name", flat=True))
    assert names == {"sire", "newcomer", "dam"}  # child dropped, dam kept for its accession
    assert Animal.objects.get(name="sire").birth_date == "2001"
    assert Animal.objects.get(name="dam").pk == dam_id
    assert Sample.objects.get(name="straw-1").accession == "SAMEA200"
    assert result.kept_missing == ["animal 'dam' (SAMEA100)", "sample 'straw-1' (SAMEA200)"]
    assert (result.animals_created, result.animals_updated) == (1, 1)


def test_a_reload_keeps_the_parents_of_an_accessioned_record_it_keeps(submission):
    records_load(submission=submission, records=family())
    Animal.objects.filter(name="child").update(accession="SAMEA300", status=Status.COMPLETED)

    result = records_load(submission=submission, records=[sheep("newcomer")])

    child = Animal.objects.get(name="child")
    # Its parents stay linked (they were unlinked, or the reload failed on them).
    assert (child.father.name, child.mother.name) == ("sire", "dam")
    assert "animal 'child' (SAMEA300)" in result.kept_missing
    assert {"animal 'sire'", "animal 'dam'"} <= set(result.kept_missing)


def test_an_updated_accessioned_record_keeps_its_accession(submission):
    records_load(submission=submission, records=[sheep("a")])
    Animal.objects.filter(name="a").update(accession="SAMEA7", status=Status.COMPLETED)
    records_load(submission=submission, records=[sheep("a", description="new words")])
    animal = Animal.objects.get(name="a")
    assert (animal.accession, animal.description, animal.status) == (
        "SAMEA7",
        "new words",
        "loaded",
    )


def test_a_parent_can_be_an_accession_of_the_owner(submission, alice):
    records_load(submission=submission, records=[sheep("old", sex="male")])
    Animal.objects.filter(name="old").update(accession="SAMEA42")
    second = Submission.objects.create(
        owner=alice, title="second", gene_bank_name="x", datasource_version="1",
        gene_bank_country=submission.gene_bank_country, datasource_type="template",
    )  # fmt: skip
    records_load(submission=second, records=[sheep("young", father="SAMEA42")])
    assert Animal.objects.get(name="young").father.accession == "SAMEA42"


def test_an_outsiders_accession_is_not_a_parent(submission, outsider):
    theirs = Submission.objects.create(
        owner=outsider, title="theirs", gene_bank_name="x", datasource_version="1",
        gene_bank_country=submission.gene_bank_country, datasource_type="template",
    )  # fmt: skip
    records_load(submission=theirs, records=[sheep("old", sex="male", accession="SAMEA43")])
    with pytest.raises(LoadError, match="father 'SAMEA43'"):
        records_load(submission=submission, records=[sheep("young", father="SAMEA43")])


def test_every_attribute_of_a_file_stays_on_its_record_after_import_and_reload(submission):
    # They were kept once on the submission and never read back, nor refreshed by a reload.
    bank = {"BRC_name": "CRB", "organization_country": "France"}
    records = [
        sheep("a"),
        semen("s1", "a", extra={**bank, "container": "straw"}),
        semen("s2", "a", extra={**bank, "container": "tube"}),
    ]
    records_load(submission=submission, records=records)
    assert Sample.objects.get(name="s1").extra == {**bank, "container": "straw"}

    moved = {**bank, "BRC_name": "CRB-2"}
    records_load(
        submission=submission,
        records=[sheep("a"), semen("s1", "a", extra={**moved, "container": "straw"})],
    )
    assert Sample.objects.get(name="s1").extra == {**moved, "container": "straw"}
