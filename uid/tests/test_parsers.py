"""Format apps register their parsers; uid's services name no format app."""

import re
from pathlib import Path

from crbanim.parser import parse_csv
from cryoweb.parser import parse_dump
from excel.parser import parse_workbook
from uid.models import DataSourceType
from uid.parsers import is_packed, parser_for

UID = Path(__file__).resolve().parents[1]


def test_every_data_source_type_has_its_registered_parser():
    assert parser_for(DataSourceType.CRYOWEB) is parse_dump
    assert parser_for(DataSourceType.CRBANIM) is parse_csv
    assert parser_for(DataSourceType.TEMPLATE) is parse_workbook
    assert is_packed(DataSourceType.TEMPLATE) and not is_packed(DataSourceType.CRYOWEB)


def test_uid_imports_no_format_app_outside_its_benchmark_and_tests():
    imports = re.compile(r"^\s*(?:from|import) (cryoweb|crbanim|excel)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(UID))
        for path in UID.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "bench.py"
        and imports.search(path.read_text())
    ]
    assert offenders == []
