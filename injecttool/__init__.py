"""InjectTool: genebank records into EBI BioSamples, checked against the IMAGE rules."""

from .celery import app as celery_app

__all__ = ["celery_app"]
