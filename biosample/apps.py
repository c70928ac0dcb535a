from django.apps import AppConfig


class BiosampleConfig(AppConfig):
    name = "biosample"
    verbose_name = "BioSamples"

    def ready(self) -> None:
        # The submit and sync tasks' runners register themselves with uid's task mechanism.
        from biosample import services, sync  # noqa: F401
