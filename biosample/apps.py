from django.apps import AppConfig


class BiosampleConfig(AppConfig):
    name = "biosample"
    verbose_name = "BioSamples"

    def ready(self) -> None:
        # The submit task's runner registers itself with uid's task mechanism.
        from biosample import services  # noqa: F401
