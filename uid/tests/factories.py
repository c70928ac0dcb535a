"""factory_boy factories for the uid models and users, shared by every app's tests.

Dictionary factories get-or-create by their natural key, so ``CountryFactory(label="Germany")``
returns the seeded row when the dictionaries are seeded and makes one otherwise.
"""

import factory
from django.contrib.auth import get_user_model

from uid.models import (
    Animal,
    Breed,
    Confidence,
    Country,
    DataSourceType,
    DevelopmentalStage,
    Ontology,
    Organisation,
    OrganismPart,
    PhysiologicalStage,
    Publication,
    Role,
    Sample,
    Sex,
    Species,
    Submission,
)

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in with DEFAULT_PASSWORD (or ``password=...``)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Curator{n}")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffUserFactory(UserFactory):
    is_staff = True


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OntologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ontology
        django_get_or_create = ("library_name",)

    library_name = factory.Sequence(lambda n: f"ONT{n}")
    iri_base = "http://purl.obolibrary.org/obo/"


class _TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("label",)

    confidence = Confidence.GOOD


class CountryFactory(_TermFactory):
    class Meta:
        model = Country

    label = factory.Sequence(lambda n: f"Country {n}")
    term = factory.Sequence(lambda n: f"NCIT_C9{n:05d}")


class SexFactory(_TermFactory):
    class Meta:
        model = Sex

    label = "female"
    term = "PATO_0000383"


class SpeciesFactory(_TermFactory):
    class Meta:
        model = Species

    label = factory.Sequence(lambda n: f"Species example{n}")
    taxon_id = factory.Sequence(lambda n: 990000 + n)
    term = factory.LazyAttribute(lambda species: f"NCBITaxon_{species.taxon_id}")
    common_name = factory.Sequence(lambda n: f"beast{n}")


class OrganismPartFactory(_TermFactory):
    class Meta:
        model = OrganismPart

    label = "semen"
    term = "UBERON_0001968"


class DevelopmentalStageFactory(_TermFactory):
    class Meta:
        model = DevelopmentalStage

    label = "adult"
    term = "EFO_0001272"


class PhysiologicalStageFactory(_TermFactory):
    class Meta:
        model = PhysiologicalStage

    label = "mature"
    term = "PATO_0001701"


class RoleFactory(_TermFactory):
    class Meta:
        model = Role

    label = "submitter"
    term = "EFO_0001741"


class BreedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breed
        django_get_or_create = ("supplied_breed", "species", "country")

    supplied_breed = factory.Sequence(lambda n: f"Breed {n}")
    species = factory.SubFactory(SpeciesFactory)
    country = factory.SubFactory(CountryFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gene bank institute {n}")
    address = "1 Example Road"
    country = factory.SubFactory(CountryFactory)
    role = factory.SubFactory(RoleFactory)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        django_get_or_create = ("doi",)

    doi = factory.Sequence(lambda n: f"10.1000/example.{n}")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Submission {n}")
    gene_bank_name = "Example gene bank"
    gene_bank_country = factory.SubFactory(CountryFactory)
    datasource_type = DataSourceType.TEMPLATE
    datasource_version = "1"


class AnimalFactory(factory.django.DjangoModelFactory):
    """An animal of its submission's owner; its breed is of its species."""

    class Meta:
        model = Animal

    submission = factory.SubFactory(SubmissionFactory)
    owner = factory.SelfAttribute("submission.owner")
    name = factory.Sequence(lambda n: f"animal_{n}")
    species = factory.SubFactory(SpeciesFactory)
    breed = factory.SubFactory(
        BreedFactory,
        species=factory.SelfAttribute("..species"),
        country=factory.SelfAttribute("..submission.gene_bank_country"),
    )
    sex = factory.SubFactory(SexFactory)


class SampleFactory(factory.django.DjangoModelFactory):
    """A sample of an animal of the same submission and owner."""

    class Meta:
        model = Sample

    submission = factory.SubFactory(SubmissionFactory)
    owner = factory.SelfAttribute("submission.owner")
    name = factory.Sequence(lambda n: f"sample_{n}")
    animal = factory.SubFactory(AnimalFactory, submission=factory.SelfAttribute("..submission"))
    organism_part = factory.SubFactory(OrganismPartFactory)
