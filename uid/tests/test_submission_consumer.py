"""ws/submissions/<id>/: only the owner listens; events reach them from the channel layer."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from uid import events
from uid.consumers import SubmissionConsumer
from uid.models import Country, Submission, Task, TaskKind, TaskState
from uid.services.dictionaries import dictionaries_seed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submission(alice):
    dictionaries_seed()
    submission = Submission.objects.create(
        owner=alice, title="t", gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label="Germany"), datasource_type="cryoweb",
    )  # fmt: skip
    Task.objects.create(
        owner=alice, submission=submission, kind=TaskKind.IMPORT, state=TaskState.RUNNING,
        phase="read", progress_done=300, progress_total=1200, message="Reading the file…",
    )  # fmt: skip
    return submission


def communicator(user, pk):
    app = SubmissionConsumer.as_asgi()
    comm = WebsocketCommunicator(app, f"/ws/submissions/{pk}/")
    comm.scope["user"] = user
    comm.scope["url_route"] = {"kwargs": {"pk": str(pk)}}
    return comm


async def _listen(user, pk, send=None):
    comm = communicator(user, pk)
    connected, code = await comm.connect()
    received = []
    if connected:
        received.append(await comm.receive_json_from(timeout=5))
        if send:
            await send()
            received.append(await comm.receive_json_from(timeout=5))
        await comm.disconnect()
    return connected, code, received


def test_it_sends_the_owner_the_current_state_then_live_events(submission, alice):
    task = submission.tasks.get()

    async def push():
        from channels.layers import get_channel_layer

        task.progress_done = 600
        await get_channel_layer().group_send(
            events.submission_group(submission.pk), dict(events.task_event(task))
        )

    connected, _, received = async_to_sync(_listen)(alice, submission.pk, push)
    assert connected
    state = received[0]
    # The records' status and the task, side by side.
    assert state["type"] == "state" and state["status"] == "empty"
    assert state["counts"] == {"animals": 0, "samples": 0}
    assert (state["task"]["kind"], state["task"]["state"]) == ("import", "running")
    # A quarter of the reading, which is 60 % of an import: 15 % of the whole.
    assert state["task"]["message"] == "Reading the file…" and state["task"]["percent"] == 15
    assert received[1]["type"] == "task" and received[1]["task"]["percent"] == 30


@pytest.mark.attack
def test_it_closes_an_outsiders_connection(submission, outsider):
    connected, code, received = async_to_sync(_listen)(outsider, submission.pk)
    assert not connected and code == 4404 and received == []


@pytest.mark.attack
def test_it_closes_an_anonymous_connection(submission):
    connected, code, _ = async_to_sync(_listen)(AnonymousUser(), submission.pk)
    assert not connected and code == 4404


def test_it_closes_a_connection_to_a_submission_that_does_not_exist(submission, alice):
    connected, _, _ = async_to_sync(_listen)(alice, submission.pk + 1000)
    assert not connected


def test_the_owner_hears_an_import_move_through_its_phases_and_end(alice):
    from django.core.files.base import ContentFile

    from uid.services.submissions import submission_create, submission_import
    from uid.tests.test_submission_import import CRB_HEADER, crb_row

    dictionaries_seed()
    content = (CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A1")).encode()
    submission = submission_create(
        owner=alice, title="goats", gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label="France"), datasource_type="crbanim",
        file=ContentFile(content, "goats.csv"),
    )  # fmt: skip

    async def listen():
        from channels.db import database_sync_to_async

        comm = communicator(alice, submission.pk)
        connected, _ = await comm.connect()
        assert connected
        heard = [await comm.receive_json_from(timeout=5)]
        await database_sync_to_async(submission_import)(submission_id=submission.pk)
        while heard[-1]["type"] != "state" or heard[-1]["task"]["active"]:
            heard.append(await comm.receive_json_from(timeout=5))
        await comm.disconnect()
        return heard

    heard = async_to_sync(listen)()

    assert heard[0]["task"]["state"] == "queued"
    phases = [e["task"]["phase"] for e in heard if e["type"] == "task"]
    assert phases[0] == "read" and "check" in phases and phases[-1] == "write"
    last = heard[-1]
    assert (last["status"], last["counts"]) == ("loaded", {"animals": 1, "samples": 2})
    assert last["task"]["state"] == "succeeded" and last["task"]["percent"] == 100
    assert last["task"]["message"].startswith("Loaded 1 animal and 2 samples.")
