"""Celery tasks of uid: thin, they take ids and call one service."""

from celery import shared_task

from uid.services import submissions


@shared_task(name="uid.submission_import", acks_late=True, reject_on_worker_lost=True)
def submission_import_task(submission_id: int) -> str:
    submission = submissions.submission_import(submission_id=submission_id)
    return submission.status if submission else "not claimed"


@shared_task(name="uid.submissions_reap_stale")
def submissions_reap_stale_task() -> int:
    return submissions.submissions_reap_stale()
