from django.apps import AppConfig


class ExcelConfig(AppConfig):
    name = "excel"
    verbose_name = "Excel template"

    def ready(self) -> None:
        # uid knows the formats only through this registry (uid.parsers).
        from excel.parser import parse_workbook
        from uid.models import DataSourceType
        from uid.parsers import parser_register

        parser_register(DataSourceType.TEMPLATE, parse_workbook, packed=True)
