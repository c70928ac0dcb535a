"""Synthetic CRB-Anim exports for benchmarks, and a parse benchmark.

``write_csv`` writes a file shaped like the portal's export: the real export's columns
in its order, one row per sample, every row repeating its animal's columns and the
biobank's contact columns (addresses with line breaks included). Words are ones the
dictionaries know (species, seeded countries, organism parts), so the file imports.

``python -m crbanim.bench --animals 100000 --samples 200000`` writes such a file and
prints how long ``parse_csv`` takes to read it whole and the peak memory (RSS) of the
process holding every record, as the bulk loader does.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from injecttool.memory import peak_rss_mb

HEADER = (
    "BRC_identifier", "BRC_name", "associated_research_project_name",
    "BRC_responsible_last_name", "BRC_responsible_first_name", "BRC_contact_email",
    "organization_name", "organisation_adress", "organization_url", "organization_country",
    "BRC_address", "BRC_url", "BRC_country", "sample_identifier", "EBI_Biosample_identifier",
    "sample_availability", "sample_bibliographic_references", "animal_ID", "sex",
    "species_latin_name", "NCBI_taxo_id", "breed_name", "country_of_origin",
    "sampling_protocol_url", "sampling_date", "sample_type_name", "sample_type_identifier",
    "sample_type_ontology", "body_part_name", "body_part_identifier", "body_part_ontology",
    "animal_birth_date", "sample_storage_temperature", "sample_container_type",
    "sample_fixer_nature",
)  # fmt: skip

BIOBANK = (
    "CRB-ANIM-BENCH", "Bench biobank", "BENCHPROJECT", "Martin", "Claire",
    "crb-anim@example.org", "Institut de recherche", "147 rue de l'Université\n75007 Paris",
    "https://www.example.org/", "France", "Domaine de Vilvert\n78350 Jouy-en-Josas",
    "https://crb-anim.example.org/", "France",
)  # fmt: skip

# (species, NCBI taxon, breeds)
SPECIES = (
    ("Bos taurus", "9913", ("Holstein", "Charolaise", "Limousine", "Montbéliarde", "Salers")),
    ("Ovis aries", "9940", ("Lacaune", "Manech tête rousse", "Ile-de-France")),
    ("Capra hircus", "9925", ("Alpine", "Saanen", "Poitevine")),
    ("Sus scrofa", "9823", ("Large White", "Piétrain", "Porc Basque")),
    ("Equus caballus", "9796", ("Percheron", "Camargue")),
    ("Gallus gallus", "9031", ("Gauloise dorée", "Marans")),
)
COUNTRIES = ("FR", "FR", "FR", "DE", "IT", "ES", "NL", "PT", "CH")
SEXES = ("Male", "Female", "Female", "Unknown")
# (sample type, its term, body part, its term): body part "unknown" or "not relevant"
# leaves the organism part to the sample type.
SAMPLE_KINDS = (
    ("semen", "UBERON:0001968", "not relevant", ""),
    ("semen", "UBERON:0001968", "unknown", ""),
    ("blood", "UBERON:0000178", "blood", "UBERON:0000178"),
    ("tissue", "FMA:67095", "liver", "UBERON:0002107"),
    ("tissue", "FMA:67095", "muscle tissue", "UBERON:0002385"),
    ("embryo", "UBERON:0000922", "not relevant", ""),
    ("oocyte", "CL:0000023", "ovary", "UBERON:0000992"),
)
TEMPERATURES = ("-196°C", "-196°C", "-80°C", "-20°C", "-30°C")
CONTAINERS = ("Straw 0.25ml", "Straw 0.5ml", "Tube 2-15ml", "Cryotube 2ml")
PROTOCOLS = tuple(f"https://crb-anim.example.org/protocols/{n}.pdf" for n in range(1, 21))


def write_csv(path: Path, *, animals: int, samples: int, seed: int = 0) -> None:
    """Write a CRB-Anim export of ``animals`` animals and ``samples`` samples to ``path``.

    Samples are spread evenly over the animals (rows of an animal are consecutive, as
    in the portal's export); 2 % of samples already have a BioSamples accession and
    10 % cite a publication. Written row by row: memory does not grow with the size.
    """
    if animals < 1 or samples < animals:
        raise ValueError("need at least one animal and at least one sample per animal")
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    ontology = "Uber-anatomy ontology (UBERON)"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(HEADER)
        sample = 0
        for n in range(animals):
            species, taxon, breeds = rng.choice(SPECIES)
            animal = (
                f"ANIMAL:::{n + 1}",
                rng.choice(SEXES),
                species,
                taxon,
                rng.choice(breeds),
                rng.choice(COUNTRIES),
            )
            born = date(1980, 1, 1) + timedelta(days=rng.randrange(40 * 365))
            # This animal's share of the samples: the first ones take the remainder.
            share = samples // animals + (1 if n < samples % animals else 0)
            for _ in range(share):
                sample += 1
                kind, kind_term, part, part_term = rng.choice(SAMPLE_KINDS)
                sampled = born + timedelta(days=rng.randrange(1, 3000))
                accession = (  # another seed, other accessions: files that can live side by side
                    f"SAMEA{7_000_000 + 1_000_000 * seed + sample}" if rng.random() < 0.02 else ""
                )
                reference = f"doi:10.1139/bench-{sample % 997}" if rng.random() < 0.1 else ""
                writer.writerow(
                    (
                        *BIOBANK,
                        f"CRBA{sample:08d}",
                        accession,
                        "mailto:crb-anim@example.org",
                        reference,
                        animal[0],
                        animal[1],
                        animal[2],
                        animal[3],
                        animal[4],
                        animal[5],
                        rng.choice(PROTOCOLS),
                        sampled.isoformat(),
                        kind,
                        kind_term,
                        ontology,
                        part,
                        part_term,
                        ontology if part_term else "",
                        born.isoformat(),
                        rng.choice(TEMPERATURES),
                        rng.choice(CONTAINERS),
                        "\\N",
                    )
                )


def main() -> None:
    """Write a synthetic export, parse it whole, print time and peak memory."""
    from crbanim.parser import parse_csv
    from uid.records import AnimalRecord, SampleRecord

    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--animals", type=int, default=100_000)
    options.add_argument("--samples", type=int, default=200_000)
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="crbanim-bench-") as folder:
        path = Path(folder) / "export.csv"
        started = time.perf_counter()
        write_csv(path, animals=args.animals, samples=args.samples, seed=args.seed)
        written = time.perf_counter() - started
        before = peak_rss_mb()
        print(f"wrote {path.stat().st_size / 1e6:.1f} MB in {written:.1f} s")
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            records = list(parse_csv(stream, filename=path.name))
        parsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss_mb()
    animals = sum(isinstance(r, AnimalRecord) for r in records)
    samples = sum(isinstance(r, SampleRecord) for r in records)
    print(
        f"parsed {animals:,} animals + {samples:,} samples ({len(records):,} records) "
        f"in {parsed:.2f} s ({cpu:.2f} s CPU); "
        f"peak RSS {peak:.0f} MB (before parsing {before:.0f} MB)"
    )


if __name__ == "__main__":
    main()
