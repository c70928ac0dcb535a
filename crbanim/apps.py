from django.apps import AppConfig


class CrbanimConfig(AppConfig):
    name = "crbanim"
    verbose_name = "CRB-Anim"

    def ready(self) -> None:
        # uid knows the formats only through this registry (uid.parsers).
        from crbanim.parser import parse_csv
        from uid.models import DataSourceType
        from uid.parsers import parser_register

        parser_register(DataSourceType.CRBANIM, parse_csv)
