"""Run a submission's queued task in the test's own process, as a worker would."""

from uid.models import Task, TaskState
from uid.services.tasks import task_run


def run_queued(submission_id: int) -> Task:
    """Run the queued task of the submission (there must be one) and return it, ended."""
    task = Task.objects.get(submission_id=submission_id, state=TaskState.QUEUED)
    ran = task_run(task_id=task.pk)
    assert ran is not None, f"task {task.pk} was not claimed"
    return ran


def import_loaded(owner, *, kind: str, name: str, content: bytes, country: str = "Germany"):
    """A submission of ``content`` imported here and now, as a worker would; its import
    must succeed. Returns the import task (its submission is ``task.submission``)."""
    from django.core.files.base import ContentFile

    from uid.models import Country, Submission, TaskKind
    from uid.services.dictionaries import dictionaries_seed
    from uid.services.tasks import task_queue

    dictionaries_seed()
    submission = Submission(
        owner=owner, title=name, gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label=country), datasource_type=kind,
        file_name=name,
    )  # fmt: skip
    submission.file.save(name, ContentFile(content), save=False)
    submission.save()
    task_queue(submission=submission, kind=TaskKind.IMPORT, user=owner)
    task = run_queued(submission.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    return task
