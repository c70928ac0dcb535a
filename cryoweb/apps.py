from django.apps import AppConfig


class CryowebConfig(AppConfig):
    name = "cryoweb"
    verbose_name = "Cryoweb"

    def ready(self) -> None:
        # uid knows the formats only through this registry (uid.parsers).
        from cryoweb.parser import parse_dump
        from uid.models import DataSourceType
        from uid.parsers import parser_register

        parser_register(DataSourceType.CRYOWEB, parse_dump)
