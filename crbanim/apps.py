from django.apps import AppConfig


class CrbanimConfig(AppConfig):
    name = "crbanim"
    verbose_name = "CRB-Anim"
