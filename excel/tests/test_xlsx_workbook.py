"""excel.xlsx.Workbook: the cell values of every sheet, as openpyxl read them."""

import datetime as dt
import io
import warnings
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from excel import xlsx
from excel.bench import with_shared_strings
from excel.tests.workbooks import inline_row, package


def read(data: bytes, *, max_cells: int = 1_000_000) -> dict[str, list[tuple]]:
    """Every worksheet's rows, the rows the file leaves out as empty ones."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = xlsx.Workbook(archive, max_cells=max_cells)
        sheets = {}
        for sheet in book.sheets:
            rows: list[tuple] = []
            for number, values in book.rows(sheet):
                rows.extend(() for _ in range(number - 1 - len(rows)))
                rows.append(tuple(values))
            sheets[sheet.name] = rows
        return sheets


def read_with_openpyxl(data: bytes) -> dict[str, list[tuple]]:
    """What the parser used to read: openpyxl, read-only, values only, own dimensions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "serial outside the limits for dates"
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = {}
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()
            sheets[worksheet.title] = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        workbook.close()
    return sheets


def typed(sheets: dict[str, list[tuple]]) -> dict:
    """Values with their types (1 == 1.0 == True), NaN made comparable."""
    return {
        name: [
            tuple(
                (type(value).__name__, "nan" if value != value else value)  # noqa: PLR0124
                for value in row
            )
            for row in rows
        ]
        for name, rows in sheets.items()
    }


NUMBER_FORMATS = [
    "General",
    "0.00",
    "0%",
    "@",
    "yyyy-mm-dd",
    "dd/mm/yyyy hh:mm",
    "d-mmm-yy",
    "h:mm:ss",
    "mm:ss",
    "[h]:mm:ss",
    "[$-409]mmmm d, yyyy",
    '"day "0',  # a quoted d is no date
    "[Red]0.00",  # nor is a bracketed one
]
CELL_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from([" padded ", "_x000D_", "a_x005F_x000D_b", "x005F_"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 0.5, 1, 59, 60, 61, 59.99, 2958465, 2958466, -1, 1e300]),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.times(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=40),
            st.integers(min_value=1, max_value=12),
            CELL_VALUES,
            st.one_of(st.none(), st.sampled_from(NUMBER_FORMATS)),
        ),
        max_size=25,
    ),
    date1904=st.booleans(),
)
def test_it_reads_cells_as_openpyxl_did(cells, date1904):
    workbook = openpyxl.Workbook()
    if date1904:
        workbook.epoch = CALENDAR_MAC_1904
    worksheet = workbook.active
    worksheet.title = "data"
    for row, column, value, number_format in cells:
        cell = worksheet.cell(row=row, column=column, value=value)
        if number_format is not None:
            cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    assert typed(read(data)) == typed(read_with_openpyxl(data))
    # Excel's layout: the text in a shared string table.
    shared = with_shared_strings(data)
    assert typed(read(shared)) == typed(read_with_openpyxl(shared))


def test_it_reads_text_from_shared_strings_and_their_runs_but_not_phonetic_runs():
    strings = (
        "<si><t>plain</t></si>"
        "<si><r><rPr><b/></rPr><t>bold</t></r><r><t xml:space='preserve'> and not</t></r></si>"
        "<si><r><t>漢字</t></r><rPh sb='0' eb='2'><t>かんじ</t></rPh></si>"
        "<si><t/></si>"
        "<si><t>a &amp; b &lt;c&gt;</t></si>"
    )
    cells = "".join(f'<c r="{letter}1" t="s"><v>{n}</v></c>' for n, letter in enumerate("ABCDE"))
    data = package({"data": f'<row r="1">{cells}</row>'}, shared_strings=strings)

    assert read(data) == {"data": [("plain", "bold and not", "漢字", "", "a & b <c>")]}
    assert read(data) == read_with_openpyxl(data)


def test_it_reads_inline_strings_and_their_runs():
    data = package(
        {
            "data": '<row r="1"><c r="A1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r>'
            '</is></c><c r="B1" t="inlineStr"><is/></c><c r="C1" t="inlineStr"/></row>'
        }
    )

    assert read(data) == {"data": [("inline", "", None)]}
    assert read(data) == read_with_openpyxl(data)


def test_it_reads_booleans_errors_and_the_values_formulas_left():
    row = (
        '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c>'
        '<c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="str"><f>A1&amp;"x"</f><v>TRUEx</v></c>'
        '<c r="E1"><f>1+1</f><v>2</v></c><c r="F1"><f>1/0</f></c><c r="G1"><v>2.50</v></c>'
        '<c r="H1"><v>1E3</v></c><c r="I1"><v></v></c></row>'
    )
    data = package({"data": row})

    assert read(data) == {"data": [(True, False, "#N/A", "TRUEx", 2, None, 2.5, 1000.0, None)]}
    assert typed(read(data)) == typed(read_with_openpyxl(data))


def test_it_reads_numbers_as_dates_by_their_cell_style():
    styles = (
        '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="&quot;day&quot; 0"/>'
        '<numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts>'
        '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
        '<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="20"/></cellXfs>'
    )
    row = (
        '<row r="1"><c r="A1" s="1"><v>43529</v></c><c r="B1" s="2"><v>43529.5</v></c>'
        '<c r="C1" s="3"><v>43529</v></c><c r="D1" s="4"><v>1.25</v></c>'
        '<c r="E1" s="5"><v>0.75</v></c><c r="F1" s="0"><v>43529</v></c>'
        '<c r="G1" s="2"><v>10000000</v></c><c r="H1" s="99"><v>7</v></c></row>'
    )
    data = package({"data": row}, styles=styles)

    assert read(data) == {
        "data": [
            (
                dt.datetime(2019, 3, 5),
                dt.datetime(2019, 3, 5, 12),
                43529,  # a quoted "d" is text in the format, not a day
                dt.timedelta(days=1, hours=6),  # elapsed time
                dt.time(18, 0),
                43529,
                "#VALUE!",  # no date so far away
                7,  # a style the workbook does not have
            )
        ]
    }
    assert typed(read(data)) == typed(read_with_openpyxl(data))


def test_it_counts_dates_from_1904_when_the_workbook_says_so():
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    row = '<row r="1"><c r="A1" s="1"><v>42067</v></c></row>'

    as_1904 = package({"data": row}, styles=styles, workbook_pr='<workbookPr date1904="1"/>')
    as_1900 = package({"data": row}, styles=styles)

    assert read(as_1904) == {"data": [(dt.datetime(2019, 3, 5),)]}
    assert read(as_1900) == {"data": [(dt.datetime(2015, 3, 4),)]}
    assert read(as_1904) == read_with_openpyxl(as_1904)


def test_it_places_cells_and_rows_without_references_one_after_another():
    rows = (
        "<row><c t='inlineStr'><is><t>a</t></is></c><c><v>1</v></c></row>"
        "<row r='4'><c r='C4'><v>2</v></c><c><v>3</v></c></row>"
        "<row><c r='B5'><v>4</v></c></row>"
    )
    data = package({"data": rows})

    assert read(data) == {"data": [("a", 1), (), (), (None, None, 2, 3), (None, 4)]}
    assert read(data) == read_with_openpyxl(data)


def test_it_makes_a_row_as_wide_as_its_last_cell_and_drops_rows_numbered_before():
    rows = (
        "<row r='2'><c r='E2'><v>5</v></c><c r='B2'><v>2</v></c></row>"
        "<row r='2'><c r='A2'><v>9</v></c></row>"
        "<row r='1'><c r='A1'><v>9</v></c></row>"
        "<row r='3'/>"
    )
    data = package({"data": rows})

    assert read(data) == {"data": [(), (None, 2), ()]}
    assert read(data) == read_with_openpyxl(data)


def test_it_reads_elements_with_a_namespace_prefix():
    rows = inline_row(1, "Animal id in data source") + inline_row(2, "pig-1")
    data = package({"data": rows.replace("<", "<x:").replace("<x:/", "</x:")}, prefix="x")

    assert read(data) == {"data": [("Animal id in data source",), ("pig-1",)]}


def test_it_lists_sheets_in_order_and_a_chart_sheet_without_a_part_to_read():
    data = package({"b": "", "a": ""}, chart_sheets=["chart"])

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = xlsx.Workbook(archive, max_cells=100).sheets

    assert [(sheet.name, sheet.part) for sheet in sheets] == [
        ("b", "xl/worksheets/sheet1.xml"),
        ("a", "xl/worksheets/sheet2.xml"),
        ("chart", None),
    ]


def test_it_stops_at_the_cell_limit_counting_rows_left_out_as_one_cell():
    rows = "<row r='1'><c r='A1'><v>1</v></c><c r='B1'><v>1</v></c></row><row r='1000'/>"
    data = package({"data": rows})

    with pytest.raises(xlsx.CellLimitError) as caught:
        read(data, max_cells=50)

    # 2 cells in row 1, then rows 2... count one each: row 50 is the 51st cell.
    assert (caught.value.sheet, caught.value.row) == ("data", 50)
    assert len(read(data, max_cells=1001)["data"]) == 1000


def test_it_names_the_sheet_and_row_where_the_xml_breaks():
    rows = inline_row(1, "a") + inline_row(2, "b") + '<row r="3"><c r="A3"><v>1</v></row>'
    data = package({"data": rows})

    with pytest.raises(xlsx.XlsxError) as caught:
        read(data)

    assert (caught.value.sheet, caught.value.row) == ("data", 3)
    assert "not well-formed" in caught.value.detail


def test_it_names_the_last_row_read_when_the_xml_breaks_between_rows():
    data = package({"data": inline_row(1, "a") + inline_row(2, "b") + "<oops>"})

    with pytest.raises(xlsx.XlsxError) as caught:
        read(data)

    assert (caught.value.sheet, caught.value.row) == ("data", None)
    assert "after row 2" in caught.value.detail


def test_it_names_the_shared_string_table_when_it_is_broken():
    data = package({"data": "<row r='1'><c r='A1' t='s'><v>0</v></c></row>"}, shared_strings="<si>")

    with pytest.raises(xlsx.XlsxError) as caught:
        read(data)

    assert "sharedStrings.xml" in caught.value.detail
    assert caught.value.sheet is None


def test_it_names_the_row_of_a_cell_it_cannot_read():
    rows = inline_row(1, "a") + "<row r='2'><c r='A2' t='s'><v>7</v></c></row>"

    with pytest.raises(xlsx.XlsxError) as caught:
        read(package({"data": rows}, shared_strings="<si><t>only one</t></si>"))

    assert (caught.value.sheet, caught.value.row) == ("data", 2)
    assert "shared string 7" in caught.value.detail


@pytest.mark.parametrize(
    "cell",
    [
        "<c r='a1'><v>1</v></c>",  # lower-case column
        "<c r='XFE1'><v>1</v></c>",  # beyond the last column
        "<c r='A1'><v>one</v></c>",  # a number that is not one
        "<c r='A1' t='b'><v>yes</v></c>",
        "<c r='A1' s='x'><v>1</v></c>",
    ],
)
def test_it_refuses_cells_that_are_not_what_they_say(cell):
    with pytest.raises(xlsx.XlsxError) as caught:
        read(package({"data": f"<row r='1'>{cell}</row>"}))

    assert (caught.value.sheet, caught.value.row) == ("data", 1)


def test_it_refuses_a_row_holding_more_elements_than_the_limit(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_OPEN_ELEMENTS", 5_000)
    # One row of 3,000 cells (9,000 elements) spanning several chunks, all in column A.
    cells = "<c r='A1' t='inlineStr'><is><t>x</t></is></c>" * 3_000

    with pytest.raises(xlsx.XlsxError) as caught:
        read(package({"data": f"<row r='1'>{cells}</row>"}))

    assert "more than 5,000 elements" in caught.value.detail


def test_it_reads_a_row_spanning_many_chunks():
    values = [f"value {n}" for n in range(2_000)]
    letters = [openpyxl.utils.get_column_letter(n + 1) for n in range(len(values))]
    cells = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{value}</t></is></c>'
        for letter, value in zip(letters, values, strict=True)
    )
    data = package({"data": f"<row r='1'>{cells}</row>{inline_row(2, 'next')}"})

    assert read(data) == {"data": [tuple(values), ("next",)]}


def test_it_refuses_a_package_without_a_workbook_part():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")

    with zipfile.ZipFile(data) as archive, pytest.raises(xlsx.XlsxError):
        xlsx.Workbook(archive, max_cells=100)


def test_it_gives_excel_dates_as_openpyxl_did():
    def outcome(convert, *args, **kwargs):
        try:
            return convert(*args, **kwargs)
        except (OverflowError, ValueError) as exc:
            return type(exc)

    from_excel = openpyxl.utils.datetime.from_excel
    for serial in (0, 0.25, 1, 59, 60, 61, 43529.999999, 2958465.5, -700000):
        for date1904 in (False, True):
            epoch = CALENDAR_MAC_1904 if date1904 else openpyxl.utils.datetime.WINDOWS_EPOCH
            ours = outcome(xlsx.excel_date, serial, date1904=date1904, elapsed=False)
            assert ours == outcome(from_excel, serial, epoch)
        ours = outcome(xlsx.excel_date, serial, date1904=False, elapsed=True)
        assert ours == outcome(from_excel, serial, timedelta=True)
