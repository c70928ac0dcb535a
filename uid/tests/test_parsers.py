"""Format apps register their parsers; uid's services name no format app."""

from crbanim.parser import parse_csv
from cryoweb.parser import parse_dump
from excel.parser import parse_workbook
from uid.models import DataSourceType
from uid.parsers import is_packed, parser_for


def test_every_data_source_type_has_its_registered_parser():
    assert parser_for(DataSourceType.CRYOWEB) is parse_dump
    assert parser_for(DataSourceType.CRBANIM) is parse_csv
    assert parser_for(DataSourceType.TEMPLATE) is parse_workbook
    assert is_packed(DataSourceType.TEMPLATE) and not is_packed(DataSourceType.CRYOWEB)
