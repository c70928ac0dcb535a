from django.apps import AppConfig


class CryowebConfig(AppConfig):
    name = "cryoweb"
    verbose_name = "Cryoweb"
