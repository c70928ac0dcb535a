"""The submission websocket: its owner watches status and progress live."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from uid import events, selectors
from uid.models import Submission


class SubmissionConsumer(AsyncJsonWebsocketConsumer):
    """``ws/submissions/<pk>/``: owner only; anyone else's connection is closed."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        pk = int(self.scope["url_route"]["kwargs"]["pk"])
        if not await self._owns(user, pk):
            await self.close(code=4404)
            return
        # Join first, read the state second: an event sent in between is not lost (it
        # is delivered after the state, and the page knows an ended task stays ended).
        self.group = events.submission_group(pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        state = await self._state(pk)
        if state is None:  # deleted a moment ago
            await self.close(code=4404)
            return
        await self.accept()
        await self.send_json(state)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The browser only listens; anything it sends is ignored."""

    # Handlers are named after the event types of uid.events.
    async def state(self, event: events.StateEvent) -> None:
        await self.send_json(event)

    async def task(self, event: events.TaskEvent) -> None:
        await self.send_json(event)

    @database_sync_to_async
    def _owns(self, user, pk: int) -> bool:
        if user is None or not user.is_authenticated:
            return False
        return Submission.objects.present().filter(pk=pk, owner=user).exists()

    @database_sync_to_async
    def _state(self, pk: int) -> events.StateEvent | None:
        """Whatever happened before the page connected: the database is the truth."""
        submission = Submission.objects.filter(pk=pk).first()
        if submission is None:
            return None
        return events.state_event(submission, selectors.submission_task(submission=submission))
