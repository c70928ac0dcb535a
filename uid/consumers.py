"""The submission websocket: its owner watches status and progress live."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from uid import events
from uid.models import Submission


class SubmissionConsumer(AsyncJsonWebsocketConsumer):
    """``ws/submissions/<pk>/``: owner only; anyone else's connection is closed."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        pk = int(self.scope["url_route"]["kwargs"]["pk"])
        submission = await self._owned_submission(user, pk)
        if submission is None:
            await self.close(code=4404)
            return
        self.group = events.submission_group(pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Whatever happened before the page connected: the database row is the truth.
        await self.send_json(events.status_event(submission))

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """The browser only listens; anything it sends is ignored."""

    # Handlers are named after the event types of uid.events.
    async def status(self, event: events.StatusEvent) -> None:
        await self.send_json(event)

    async def progress(self, event: events.ProgressEvent) -> None:
        await self.send_json(event)

    async def message(self, event: events.MessageEvent) -> None:
        await self.send_json(event)

    @database_sync_to_async
    def _owned_submission(self, user, pk: int) -> Submission | None:
        if user is None or not user.is_authenticated:
            return None
        return Submission.objects.filter(pk=pk, owner=user).first()
