"""Run a submission's queued task in the test's own process, as a worker would."""

from uid.models import Task, TaskState
from uid.services.tasks import task_run


def run_queued(submission_id: int) -> Task:
    """Run the queued task of the submission (there must be one) and return it, ended."""
    task = Task.objects.get(submission_id=submission_id, state=TaskState.QUEUED)
    ran = task_run(task_id=task.pk)
    assert ran is not None, f"task {task.pk} was not claimed"
    return ran
