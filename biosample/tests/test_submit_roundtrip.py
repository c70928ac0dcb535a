"""Every document we send passes the emulator's checks (which reproduce the server's:
the organism rule, relationship targets as accessions, release as an instant), and a GET
of each submitted sample gives back what we sent."""

import pytest

from biosample.models import LinkState, SampleLink
from biosample.tests.test_submit import remote, submitted
from uid.models import Animal, Sample, TaskState

pytestmark = pytest.mark.django_db


def test_each_sample_reads_back_as_it_was_sent(alice, rich, api, token):
    task = submitted(rich, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.result["refused"] == 0 and task.result["created"] == 4
    links = SampleLink.objects.filter(submission=rich)
    assert links.count() == 4 and {link.state for link in links} == {LinkState.CREATED}
    for link in links:
        sent, there = link.payload, remote(api, token, link.accession)
        assert there["accession"] == link.accession
        assert there["name"] == sent["name"]
        # The release went as an instant and comes back as one.
        assert there["release"].replace(".000", "") == sent["release"].replace(".000", "")
        for name, values in sent["characteristics"].items():
            assert there["characteristics"][name] == values, name
        # A relationship without a source is the sample's own: BioSamples fills it in.
        outgoing = {(r.get("source") or link.accession, r["type"], r["target"])
                    for r in sent["relationships"]}  # fmt: skip
        back = {(r["source"], r["type"], r["target"]) for r in there["relationships"]}
        assert outgoing <= back  # BioSamples adds the incoming ones
        assert all(r["target"].startswith("SAM") for r in sent["relationships"])
    # Most IMAGE attributes went out: the rich farm uses them.
    straw = SampleLink.objects.get(kind="sample").payload["characteristics"]
    assert {
        "Collection date",
        "Collection place",
        "Sample storage",
        "Organism part",
        "Animal age at collection",
        "Specimen collection protocol",
    } <= set(straw)
    assert Animal.objects.filter(accession=None).count() == 0
    assert Sample.objects.filter(accession=None).count() == 0
