from django.apps import AppConfig


class UidConfig(AppConfig):
    name = "uid"
    verbose_name = "Unified Internal Database"

    def ready(self) -> None:
        # The import's runner registers itself with the task mechanism on import.
        from uid.services import submissions  # noqa: F401
