"""BioSamples documents made records again: adoption, the reverse of validation.documents.

A sample of the curator's Webin account becomes an animal or a sample of one of their
submissions, holding what its document says:

- every IMAGE attribute of the record's kind that the document carries goes back to the
  field the registry keeps it in (validation.registry); dictionary values (species, sex,
  organism part, stages) are looked up by their ontology term, then by their label; a
  breed by its name, species and country (a new one is the owner's proposal, as an import
  makes it); numbers with their units;
- "child of" and "derived from" are resolved by accession to records of the submission
  (those adopted at the same time included) or, as in a file, to the owner's records
  elsewhere; a record whose parent or animal is not here is not adopted (adopt that one
  first, or in the same list);
- the attributes that belong to the submission or its submitter (Submission title,
  Person…, Organization…, Gene bank…, Data source…) are the target submission's: they are
  not copied, but compared;
- the record gets the accession and the status COMPLETED, and a SampleLink CREATED holds
  what BioSamples has as the document last sent: when the record rebuilds the same
  document, that very document (and its hash), so that a submit sends nothing until the
  record is edited; when it does not (the submission says another title, say), the
  BioSamples copy, so that the next submit updates it, and the adoption says what differs.

Write with :func:`documents_adopt` inside a transaction; look-ups of what is already here
with :func:`accessions_taken`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from biosample.models import LinkState, Orphan, RemoteStatus, SampleLink
from uid.models import (
    Animal,
    Breed,
    Confidence,
    Country,
    Publication,
    Sample,
    Sex,
    Species,
    Status,
    Submission,
)
from uid.services.values import KEPT, note
from validation import registry
from validation.terms import term_id

# Characteristics the server adds to every sample: never ours to keep or send.
SERVER_CHARACTERISTICS = frozenset({"SRA accession"})
# Where a document may name its species (BioSamples requires one of them).
SPECIES_NAMES = ("organism", "Organism", "species", "Species")
MATERIALS = {"organism": registry.ANIMAL, "specimen from organism": registry.SAMPLE}
CHILD_OF = "child of"
DERIVED_FROM = "derived from"
# Parts of a sample InjectTool does not keep (an update from here would not send them).
NOT_KEPT = ("externalReferences", "organization", "contact", "publications")
# Attributes adoption places itself (the rest goes by the registry's field).
_PLACED = frozenset({"Data source ID", "Project", "Material", "Species", "Child of",
                     "Derived from", "Supplied breed", "EFABIS Breed country",
                     "Mapped breed"})  # fmt: skip
_RECORD_FK = ("owner", "submission", "publication", "breed", "species", "sex", "father",
              "mother", "animal", "organism_part", "developmental_stage",
              "physiological_stage")  # fmt: skip


class NotAdoptable(Exception):
    """The document cannot become a record (the message says why, for the curator)."""


# --- Documents ---------------------------------------------------------------------------


def _values(characteristics: dict, name: str) -> list[dict]:
    """A characteristic's values by its name, in other capitals if not as written."""
    if name in characteristics:
        return characteristics[name] or []
    folded = name.casefold()
    for key, values in characteristics.items():
        if key.casefold() == folded:
            return values or []
    return []


def _text(characteristics: dict, name: str) -> str:
    values = _values(characteristics, name)
    return str(values[0].get("text") or "").strip() if values else ""


def document_kind(document: dict) -> str:
    """ANIMAL or SAMPLE by the document's IMAGE Material; NotAdoptable for a sample that
    is not an IMAGE animal or sample (saying what it is instead)."""
    characteristics = document.get("characteristics") or {}
    project = _text(characteristics, "Project")
    if project != "IMAGE":
        said = f"its Project is “{project}”" if project else "it has no Project"
        raise NotAdoptable(f"not an IMAGE animal or sample: {said}, not IMAGE")
    material = _text(characteristics, "Material")
    kind = MATERIALS.get(material.casefold())
    if kind is None:
        said = f"its Material is “{material}”" if material else "it has no Material"
        raise NotAdoptable(
            f"not an IMAGE animal or sample: {said}, not organism or specimen from organism"
        )
    return kind


def outgoing_form(remote: dict) -> dict:
    """A sample as BioSamples answers it, in the form InjectTool sends one
    (biosample.services._outgoing): name, release, taxId, accession, the characteristics
    without those the server adds, and its own relationships without their source."""
    accession = remote["accession"]
    characteristics = {
        name: [
            {key: value[key] for key in ("text", "ontologyTerms", "unit")
             if value.get(key) not in (None, "", [])}
            for value in values
        ]
        for name, values in (remote.get("characteristics") or {}).items()
        if name not in SERVER_CHARACTERISTICS
    }  # fmt: skip
    relationships = [
        {"type": rel.get("type"), "target": rel.get("target")}
        for rel in remote.get("relationships") or []
        if rel.get("source") in (None, "", accession)
    ]
    document = {"name": remote.get("name"), "release": remote.get("release"),
                "characteristics": characteristics, "relationships": relationships,
                "accession": accession}  # fmt: skip
    if remote.get("taxId") is not None:
        document["taxId"] = remote["taxId"]
    return document


def sendable(remote: dict) -> dict:
    """A fetched sample as a PUT body that replaces it with itself: what InjectTool sends,
    and the parts it does not keep (a PUT is a full replace)."""
    document = outgoing_form(remote)
    for key in NOT_KEPT:
        if remote.get(key):
            document[key] = remote[key]
    return document


def differences(there: dict, here: dict) -> list[str]:
    """What differs between two documents in the form InjectTool sends: the
    characteristics' names, and "release", "relationships", "taxId" (the order of
    relationships and of a characteristic's values does not count)."""

    def values(document: dict, name: str) -> list[str]:
        found = (document.get("characteristics") or {}).get(name) or []
        return sorted(json.dumps(value, sort_keys=True) for value in found)

    def relationships(document: dict) -> list[tuple]:
        return sorted((r.get("type"), r.get("target")) for r in document.get("relationships", []))

    names = set(there.get("characteristics") or {}) | set(here.get("characteristics") or {})
    found = [name for name in sorted(names) if values(there, name) != values(here, name)]
    for key in ("release", "taxId", "name"):
        if there.get(key) != here.get(key):
            found.append(key)
    if relationships(there) != relationships(here):
        found.append("relationships")
    return found


# --- What is here already ------------------------------------------------------------------


def accessions_taken(*, accessions, user, environment: str) -> dict[str, str]:
    """Accession → why it cannot be adopted: a record here links to it, or holds it.
    Another curator's record is not named."""
    accessions = list(accessions)
    taken: dict[str, str] = {}
    links = SampleLink.objects.filter(
        environment=environment, accession__in=accessions
    ).select_related("submission")
    for link in links:
        if link.submission.owner_id == user.pk:
            taken[link.accession] = (
                f"already linked to {link.kind} “{link.name}” of the submission "
                f"“{link.submission.title}”"
            )
        else:
            taken[link.accession] = "already linked to a record of another InjectTool curator"
    for model, kind in ((Animal, registry.ANIMAL), (Sample, registry.SAMPLE)):
        held = model.objects.filter(accession__in=accessions).select_related("submission")
        for record in held:
            if record.accession in taken:
                continue
            if record.owner_id == user.pk:
                taken[record.accession] = (
                    f"already the accession of {kind} “{record.name}” of the submission "
                    f"“{record.submission.title}”"
                )
            else:
                taken[record.accession] = (
                    "already the accession of a record of another InjectTool curator"
                )
    return taken


# --- Dictionaries ----------------------------------------------------------------------------


class _Dictionaries:
    """The dictionary rows a batch of documents names, looked up once each."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.owner_id = submission.owner_id
        self._cache: dict[tuple, object] = {}

    def _cached(self, key: tuple, find):
        if key not in self._cache:
            self._cache[key] = find()
        return self._cache[key]

    def species(self, characteristics: dict, tax_id) -> Species:
        name = next((n for n in SPECIES_NAMES if _values(characteristics, n)), None)
        value = _values(characteristics, name)[0] if name else {}
        text = str(value.get("text") or "").strip()
        term = _term(value)

        def find():
            found = None
            if term:
                found = Species.objects.filter(term=term).first()
            if found is None and tax_id:
                found = Species.objects.filter(taxon_id=tax_id).first()
            if found is None and text:
                found = Species.objects.filter(label__iexact=text).first()
            return found

        found = self._cached(("species", text, term, tax_id), find)
        if found is None:
            said = " ".join(part for part in (text, f"({term})" if term else "") if part)
            raise NotAdoptable(
                f"its species {said or '(none given)'} is not in InjectTool's species "
                "dictionary: ask an administrator to add it"
            )
        return found

    def sex(self, value: dict, notes: list) -> Sex:
        text = str(value.get("text") or "").strip()
        term = _term(value)

        def find():
            found = Sex.objects.filter(term=term).first() if term else None
            label = registry.sex_label(text) if found is None else None
            if label is not None:
                found = Sex.objects.filter(label__iexact=label).first()
            return found

        found = self._cached(("sex", text, term), find)
        if found is None:
            found = self._cached(
                ("sex", registry.UNKNOWN_SEX),
                lambda: Sex.objects.get(label=registry.UNKNOWN_SEX),
            )
            notes.append(note("Sex", text, found.label, KEPT, "not an IMAGE sex"))
        return found

    def term(self, model: type[models.Model], value: dict, notes: list, name: str):
        """The row of a term dictionary (organism part, stages) a value names: by its
        term, then its label; a new label is added (low confidence), as an import does."""
        text = str(value.get("text") or "").strip()
        term = _term(value)

        def find():
            found = model.objects.filter(term=term).first() if term else None
            if found is None and text:
                found = model.objects.filter(label__iexact=text).first()
            if found is None and text:
                try:
                    with transaction.atomic():
                        found = model.objects.create(
                            label=text, term=term or "", confidence=Confidence.LOW
                        )
                except IntegrityError:  # another adoption or import added it meanwhile
                    found = model.objects.get(label__iexact=text)
                notes.append(note(name, text, text, KEPT, "new in the dictionary"))
            return found

        return self._cached((model.__name__, text, term), find)

    def country(self, text: str):
        return self._cached(
            ("country", text.casefold()),
            lambda: Country.objects.filter(label__iexact=text).first() if text else None,
        )

    def publication(self, doi: str) -> Publication:
        def find():
            found, _ = Publication.objects.get_or_create(doi=doi)
            return found

        return self._cached(("doi", doi), find)

    def breed(self, characteristics: dict, species: Species, notes: list) -> Breed:
        supplied = " ".join(_text(characteristics, "Supplied breed").split())
        if not supplied:
            raise NotAdoptable("it has no Supplied breed (mandatory for an IMAGE animal)")
        country_text = _text(characteristics, "EFABIS Breed country")
        country = self.country(country_text)
        if country is None:
            country = self.submission.gene_bank_country
            notes.append(note("EFABIS Breed country", country_text, country.label, KEPT,
                              "not a known country: the gene bank's country instead"))  # fmt: skip
        mapped = _values(characteristics, "Mapped breed")
        mapped_label = str(mapped[0].get("text") or "") if mapped else ""
        mapped_term = _term(mapped[0]) if mapped else ""

        def find():
            mine = Q(proposed_by__isnull=True) | Q(proposed_by_id=self.owner_id)
            rows = Breed.objects.filter(
                mine, species=species, country=country, supplied_breed__iexact=supplied
            )
            found = rows.order_by(models.F("proposed_by").asc(nulls_first=True), "pk").first()
            if found is None:
                try:
                    with transaction.atomic():
                        found = Breed.objects.create(
                            supplied_breed=supplied, species=species, country=country,
                            mapped_breed=mapped_label, mapped_breed_term=mapped_term or "",
                            proposed_by_id=self.owner_id, proposed_at=timezone.now(),
                        )  # fmt: skip
                except IntegrityError:  # another import proposed it meanwhile
                    found = rows.first()
            return found

        return self._cached(("breed", supplied.casefold(), species.pk, country.pk), find)


def _term(value: dict) -> str:
    terms = value.get("ontologyTerms") or []
    return (term_id(terms[0]) or "") if terms else ""


# --- Records -------------------------------------------------------------------------------


@dataclass
class _Pending:
    accession: str
    kind: str
    document: dict  # as fetched
    record: Animal | Sample
    targets: list[str]  # "child of" parents, or the "derived from" animal


@dataclass
class Adoption:
    """What an adoption came to: per accession, the record it became, or why not."""

    adopted: list[dict] = field(default_factory=list)  # accession, kind, name, id, differs
    refused: dict[str, str] = field(default_factory=dict)  # accession → why

    @property
    def differing(self) -> list[dict]:
        return [item for item in self.adopted if item["differs"]]


def _record(document: dict, kind: str, submission: Submission, lookups: _Dictionaries):
    """The unsaved record a document makes, and the accessions its relationships name."""
    characteristics = document.get("characteristics") or {}
    accession = document["accession"]
    notes: list[dict] = []
    model = Animal if kind == registry.ANIMAL else Sample
    record = model(owner_id=submission.owner_id, submission=submission,
                   name=str(document.get("name") or _text(characteristics, "Data source ID")),
                   accession=accession, status=Status.COMPLETED)  # fmt: skip
    if not record.name:
        raise NotAdoptable("it has no name")
    species = lookups.species(characteristics, document.get("taxId"))
    if kind == registry.ANIMAL:
        record.species = species
        record.breed = lookups.breed(characteristics, species, notes)
    for attribute in registry.attributes(kind):
        path = attribute.field(kind)
        values = _values(characteristics, attribute.name)
        if not values or attribute.name in _PLACED or path is None or "__" in path:
            continue  # not given, placed above, or the submission's (compared, not copied)
        if len(values) > 1 and attribute.multiple == "no":
            notes.append(note(attribute.name, "; ".join(str(v.get("text")) for v in values),
                              str(values[0].get("text")), KEPT, "one value kept"))  # fmt: skip
        _place(record, kind, attribute, values[0], lookups, notes)
    if kind == registry.ANIMAL and record.sex_id is None:
        record.sex = lookups.sex({}, notes)
    if kind == registry.SAMPLE and record.organism_part_id is None:
        raise NotAdoptable("it has no Organism part (mandatory for an IMAGE sample)")
    known = {a.name.casefold() for a in registry.attributes(kind)}
    known |= {name.casefold() for name in (*SPECIES_NAMES, *SERVER_CHARACTERISTICS)}
    extra = {
        name: "; ".join(str(value.get("text") or "") for value in values)
        for name, values in characteristics.items()
        if name.casefold() not in known
    }
    if extra:
        record.extra = extra
        notes.extend(
            note(name, text, "", KEPT, f"not an IMAGE attribute of an {kind}: kept aside")
            for name, text in extra.items()
        )
    own = [
        rel for rel in document.get("relationships") or []
        if rel.get("source") in (None, "", accession)
    ]  # fmt: skip
    wanted = CHILD_OF if kind == registry.ANIMAL else DERIVED_FROM
    targets = [str(rel.get("target")) for rel in own if str(rel.get("type")).lower() == wanted]
    if kind == registry.ANIMAL and len(targets) > 2:
        raise NotAdoptable(f"it is a child of more than two animals ({', '.join(targets)})")
    if kind == registry.SAMPLE and len(targets) != 1:
        said = ", ".join(targets) if targets else "none"
        raise NotAdoptable(f"it must derive from exactly one animal (it names {said})")
    for rel in own:
        if str(rel.get("type")).lower() != wanted:
            notes.append(note("relationships", f"{rel.get('type')} {rel.get('target')}", "",
                              KEPT, "not kept by InjectTool"))  # fmt: skip
    left_out = [key for key in NOT_KEPT if document.get(key)]
    if left_out:
        notes.append(note(", ".join(left_out), "", "", KEPT, "not kept by InjectTool"))
    record.import_notes = notes
    try:
        record.full_clean(exclude=list(_RECORD_FK), validate_unique=False,
                          validate_constraints=False)  # fmt: skip
    except ValidationError as exc:
        problems = "; ".join(
            f"{registry.by_field(kind, name).name if registry.by_field(kind, name) else name}: "
            f"{' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        )
        raise NotAdoptable(f"its values do not fit a record: {problems}") from None
    return record, targets


def _place(record, kind: str, attribute, value: dict, lookups: _Dictionaries, notes) -> None:
    """One attribute's value into its field (and its unit into the unit field)."""
    path = attribute.field(kind)
    text = str(value.get("text") or "").strip()
    model_field = record._meta.get_field(path)
    if attribute.dictionary == "uid.Publication":
        if text:
            record.publication = lookups.publication(text)
    elif attribute.dictionary == "uid.Sex":
        record.sex = lookups.sex(value, notes)
    elif isinstance(model_field, models.ForeignKey):
        found = lookups.term(model_field.related_model, value, notes, attribute.name)
        setattr(record, path, found)
    elif isinstance(model_field, models.FloatField):
        try:
            setattr(record, path, float(text) if text else None)
        except ValueError:
            notes.append(note(attribute.name, text, "", KEPT, "not a number: left empty"))
    else:
        setattr(record, path, text)
    if attribute.unit_field:
        setattr(record, attribute.unit_field, str(value.get("unit") or ""))


def documents_adopt(
    *, submission: Submission, documents: list[dict], account: str, environment: str
) -> Adoption:
    """Make each fetched BioSamples document (of the Webin ``account``) a record of
    ``submission`` with its accession, linked and COMPLETED (see the module's docstring).
    Call it inside a transaction: the records, links and submission status are written
    together. Each document that cannot be adopted is in ``refused`` with why."""
    from biosample.services import _accessions, _outgoing, document_hash
    from uid.services.tasks import submission_status_refresh
    from validation.documents import submission_documents

    result = Adoption()
    owner = submission.owner
    by_accession = {doc["accession"]: doc for doc in documents}
    result.refused.update(
        accessions_taken(accessions=by_accession, user=owner, environment=environment)
    )
    lookups = _Dictionaries(submission)
    names = {
        kind: set(model.objects.filter(submission=submission).values_list("name", flat=True))
        for kind, model in ((registry.ANIMAL, Animal), (registry.SAMPLE, Sample))
    }
    pending: dict[str, _Pending] = {}
    for accession, document in by_accession.items():
        if accession in result.refused:
            continue
        try:
            owner_account = document.get("webinSubmissionAccountId")
            if owner_account not in (None, account):
                raise NotAdoptable(f"not yours: it belongs to {owner_account}, not {account}")
            kind = document_kind(document)
            record, targets = _record(document, kind, submission, lookups)
            if record.name in names[kind]:
                raise NotAdoptable(f"the submission has an {kind} named “{record.name}” already")
        except NotAdoptable as exc:
            result.refused[accession] = str(exc)
            continue
        names[kind].add(record.name)
        pending[accession] = _Pending(accession, kind, document, record, targets)

    animals = {acc: item for acc, item in pending.items() if item.kind == registry.ANIMAL}
    samples = {acc: item for acc, item in pending.items() if item.kind == registry.SAMPLE}
    wanted = {target for item in pending.values() for target in item.targets}
    # The animals relationships may name: the owner's (a parent elsewhere is allowed, as
    # in a file), accession → (id, sex label).
    here = {
        accession: (pk, sex)
        for accession, pk, sex in Animal.objects.filter(
            owner=owner, accession__in=wanted
        ).values_list("accession", "pk", "sex__label")
    }
    created: dict[str, list] = {registry.ANIMAL: [], registry.SAMPLE: []}
    while animals:
        level = [acc for acc, item in animals.items()
                 if all(t in here or t not in animals for t in item.targets)]  # fmt: skip
        if not level:
            for accession in animals:
                result.refused[accession] = "its parents are its own descendants (a cycle)"
            break
        batch = []
        for accession in level:
            item = animals.pop(accession)
            missing = _missing(item, here, result.refused, "parent")
            if missing:
                result.refused[accession] = missing
                continue
            free = ["father", "mother"]
            for target in sorted(item.targets, key=lambda t: here[t][1] != "male"):
                place = "mother" if here[target][1] == "female" and "mother" in free else free[0]
                setattr(item.record, f"{place}_id", here[target][0])
                free.remove(place)
            batch.append(item)
        Animal.objects.bulk_create([item.record for item in batch])
        for item in batch:
            here[item.accession] = (item.record.pk, item.record.sex.label)
            created[registry.ANIMAL].append(item)
    batch = []
    for accession, item in samples.items():
        missing = _missing(item, here, result.refused, "animal")
        if missing:
            result.refused[accession] = missing
            continue
        item.record.animal_id = here[item.targets[0]][0]
        batch.append(item)
    Sample.objects.bulk_create([item.record for item in batch])
    created[registry.SAMPLE] = batch

    # The documents the new records make, as a submit would send them.
    accessions = _accessions(submission)
    links = []
    for kind, items in created.items():
        if not items:
            continue
        by_pk = {item.record.pk: item for item in items}
        for built in submission_documents(submission=submission, kinds=(kind,), ids=list(by_pk)):
            item = by_pk[built.pk]
            rebuilt = _outgoing(built.document, accessions, submission.release_date)
            rebuilt["accession"] = item.accession
            there = outgoing_form(item.document)
            differs = differences(there, rebuilt)
            payload = there if differs else rebuilt
            links.append(SampleLink(
                submission=submission, kind=kind, record_id=item.record.pk,
                name=item.record.name, accession=item.accession, state=LinkState.CREATED,
                webin_account=account, environment=environment, payload=payload,
                payload_hash=document_hash(payload), remote_status=RemoteStatus.SAME,
                remote_updated=instant_parse(item.document.get("update")),
            ))  # fmt: skip
            result.adopted.append({"accession": item.accession, "kind": kind,
                                   "name": item.record.name, "id": item.record.pk,
                                   "differs": differs})  # fmt: skip
    SampleLink.objects.bulk_create(links)
    Orphan.objects.filter(
        environment=environment, accession__in=[item["accession"] for item in result.adopted]
    ).delete()
    submission_status_refresh(submission_id=submission.pk)
    return result


def _missing(item: _Pending, here: dict, refused: dict[str, str], what: str) -> str:
    """Why a record cannot be adopted for want of a parent (or its animal); "" if none."""
    for target in item.targets:
        if target in here:
            continue
        if target in refused:
            return f"its {what} {target} is not adopted either ({refused[target]})"
        return (
            f"its {what} {target} is not a record here: adopt or pull it first (or in the "
            "same list)"
        )
    return ""


def instant_parse(text: str | None):
    """A BioSamples instant ("2026-12-05T10:00:00Z") as a datetime; None when empty or
    unreadable."""
    import datetime as dt

    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
