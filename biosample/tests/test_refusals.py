"""A record BioSamples refuses keeps the server's message on the IMAGE field it is about,
where the curator mends it, while the other records go on."""

import pytest

from biosample.client import BioSamplesClient
from biosample.refusals import RELEASE_FIELD, refusal_field
from biosample.tests.test_submit import submitted
from uid.models import Animal, Sample, Status, TaskState
from uid.tests.factories import SpeciesFactory
from validation.models import Finding, RecordResult
from validation.selectors import finding_fix

pytestmark = pytest.mark.django_db

PIG = {
    "name": "pig-1",
    "release": "2026-01-01T00:00:00Z",
    "characteristics": {"organism": [{"text": "Sus scrofa"}]},
    "relationships": [],
}


def refused(emulator, token, document):
    """The error the emulator's answer to ``document`` becomes in our client."""
    from biosample.client import BioSamplesError

    client = BioSamplesClient(token=token, biosamples_url=emulator.biosamples_url,
                              webin_auth_url=emulator.webin_auth_url)  # fmt: skip
    with client, pytest.raises(BioSamplesError) as caught:
        client.sample_create(document)
    assert caught.value.permanent
    return caught.value


@pytest.mark.parametrize(
    ("change", "kind", "field"),
    [
        ({"characteristics": {"material": [{"text": "organism"}]}}, "animal", "Species"),
        ({"characteristics": {"organism": [{"text": "Sus imaginarius"}]}}, "sample", "Species"),
        ({"release": None}, "animal", RELEASE_FIELD),
        (
            {"relationships": [{"source": "pig-1", "type": "child of", "target": "SAMEA1"}]},
            "animal",
            "Child of",
        ),  # fmt: skip
        (
            {"relationships": [{"source": "SAMEA1", "type": "derived from", "target": "boar"}]},
            "sample",
            "Derived from",
        ),  # fmt: skip
    ],
)
def test_each_server_message_names_its_field(emulator, token, change, kind, field):
    document = {key: value for key, value in {**PIG, **change}.items() if value is not None}
    error = refused(emulator, token, document)

    assert refusal_field(kind, error.message, error.errors) == field


def test_a_message_about_nothing_in_particular_stays_with_biosamples():
    assert refusal_field("animal", "Something else went wrong", []) == "BioSamples"


def test_a_refused_record_needs_revision_on_its_field_and_the_others_go_on(alice, ready):
    unknown = SpeciesFactory(label="Sus imaginarius")  # a taxon ENA does not know
    Animal.objects.filter(submission=ready, name="sow").update(species=unknown)

    task = submitted(ready, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert "BioSamples refused 1" in task.message
    sow = Animal.objects.get(name="sow")
    assert (sow.status, sow.accession) == (Status.NEED_REVISION, None)
    # Its child waits for it; the rest is in BioSamples.
    assert Animal.objects.get(name="piglet").accession is None
    assert Animal.objects.get(name="boar").accession.startswith("SAMEA")
    assert Sample.objects.get(name="straw-1").accession.startswith("SAMEA")
    assert ready.status == Status.NEED_REVISION

    finding = Finding.objects.get(source="biosamples")
    assert (finding.field, finding.severity, finding.animals, finding.samples) == (
        "Species", "Error", 1, 0
    )  # fmt: skip
    assert finding.message.startswith("BioSamples refused it: Validation of taxonomy failed")
    result = RecordResult.objects.get(kind="animal", record_id=sow.pk)
    assert (result.status, finding.number in result.findings) == ("Error", True)
    # The curator is sent to a form that sets the species of the records refused.
    fix = finding_fix(submission=ready, finding={
        "field": finding.field, "number": finding.number, "animals": 1, "samples": 0,
        "source": finding.source, "message": finding.message,
    })  # fmt: skip
    assert (fix["where"], fix["kind"]) == ("form", "animals")

    # Submitted again before it is mended: it is held back, not refused twice.
    submitted(ready, alice)
    finding.refresh_from_db()
    assert (Finding.objects.filter(source="biosamples").count(), finding.animals) == (1, 1)
