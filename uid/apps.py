from django.apps import AppConfig


class UidConfig(AppConfig):
    name = "uid"
    verbose_name = "Unified Internal Database"

    def ready(self) -> None:
        # The runners (import, delete, batch) register themselves with the task mechanism on import.
        from uid.services import batch, submissions  # noqa: F401
