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
        # ... and writes a submission's records into the template (uid.exports).
        from excel.views import submission_template_export
        from uid.exports import exporter_register

        exporter_register("xlsx", submission_template_export)
