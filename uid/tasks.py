"""Celery tasks of uid: thin, they take ids and call one service."""

from celery import shared_task

from uid.services import tasks


@shared_task(name="uid.task_run", acks_late=True, reject_on_worker_lost=True)
def task_run_task(task_id: int) -> str:
    """Run one queued task of any kind (uid.services.tasks)."""
    task = tasks.task_run(task_id=task_id)
    return task.state if task else "not claimed"


@shared_task(name="uid.tasks_reap_stale")
def tasks_reap_stale_task() -> int:
    return tasks.tasks_reap_stale()
