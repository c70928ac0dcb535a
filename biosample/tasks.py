from celery import shared_task

from biosample import sync


@shared_task(name="biosample.submissions_sync_due")
def submissions_sync_due_task() -> int:
    """Hourly: compare the records in BioSamples with their copies there."""
    return sync.submissions_sync_due()
