from django.apps import AppConfig


class BiosampleConfig(AppConfig):
    name = "biosample"
    verbose_name = "BioSamples"
