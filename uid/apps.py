from django.apps import AppConfig


class UidConfig(AppConfig):
    name = "uid"
    verbose_name = "Unified Internal Database"
