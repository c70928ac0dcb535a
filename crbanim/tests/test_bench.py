"""write_csv: a synthetic CRB-Anim export that parses and looks like the real one."""

import csv

from crbanim.bench import HEADER, write_csv
from crbanim.parser import parse_csv
from injecttool.testing.shared import shared_fixture
from uid.records import AnimalRecord, SampleRecord
from validation.registry import ACCESSION_RE


def test_it_writes_the_animals_and_samples_asked_for(tmp_path):
    path = tmp_path / "export.csv"

    write_csv(path, animals=300, samples=1_000, seed=3)

    with path.open("rb") as stream:
        records = list(parse_csv(stream, filename=path.name))
    animals = [r for r in records if isinstance(r, AnimalRecord)]
    samples = [r for r in records if isinstance(r, SampleRecord)]
    assert (len(animals), len(samples)) == (300, 1_000)
    assert {s.animal for s in samples} == {a.name for a in animals}
    adopted = [s.accession for s in samples if s.accession]
    assert adopted and all(ACCESSION_RE.match(a) for a in adopted)


def test_it_repeats_each_animal_on_consecutive_rows(tmp_path):
    path = tmp_path / "export.csv"

    write_csv(path, animals=10, samples=25)

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ids = [row["animal_ID"] for row in rows]
    assert len(rows) == 25
    assert ids == sorted(ids, key=lambda i: int(i.split(":::")[1]))
    assert len(set(ids)) == 10


def test_it_is_reproducible_from_its_seed(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"

    write_csv(a, animals=20, samples=40, seed=1)
    write_csv(b, animals=20, samples=40, seed=1)
    write_csv(c, animals=20, samples=40, seed=2)

    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_it_has_the_columns_of_the_real_export():
    path = shared_fixture("crbanim/crbanim_test_data.csv")

    with path.open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == HEADER
