"""ws/submissions/<id>/: only the owner listens; events reach them from the channel layer."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from uid import events
from uid.consumers import SubmissionConsumer
from uid.models import Country, Status, Submission
from uid.services.dictionaries import dictionaries_seed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submission(alice):
    dictionaries_seed()
    return Submission.objects.create(
        owner=alice, title="t", gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label="Germany"), datasource_type="cryoweb",
        status=Status.WAITING, message="Reading the file…",
    )  # fmt: skip


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


def test_it_sends_the_owner_the_current_status_then_live_events(submission, alice):
    async def push():
        from channels.layers import get_channel_layer

        await get_channel_layer().group_send(
            events.submission_group(submission.pk),
            {"type": "progress", "stage": "parse", "done": 10, "total": 0},
        )

    connected, _, received = async_to_sync(_listen)(alice, submission.pk, push)
    assert connected
    assert received[0]["type"] == "status" and received[0]["status"] == "waiting"
    assert received[0]["message"] == "Reading the file…"
    assert received[1] == {"type": "progress", "stage": "parse", "done": 10, "total": 0}


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
