"""cryoweb.parser.parse_dump on bad dumps: each refusal says where and why."""

import pytest

from cryoweb.tests.helpers import FOOT, HEAD, ROWS, copy_dump, insert_dump, line_of, parse
from uid.records import ParseError


def _refused(content, *, filename="dump.sql") -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(content, filename=filename)
    error = caught.value
    assert error.file == filename
    return error


def test_it_refuses_an_empty_file():
    for content in (b"", b"\n\n  \n"):
        error = _refused(content, filename="empty.sql")
        assert "empty" in error.message
        assert str(error).startswith("empty.sql: ")


def test_it_refuses_a_file_that_is_not_utf8():
    dump = copy_dump({"breeds_species": [[317, 313, "Rhönschaf", "Sheep", "Germany"]]})
    error = _refused(dump.encode("latin-1"))
    assert error.line == line_of(dump, "Rhönschaf")
    assert "not UTF-8" in error.message
    assert "0xf6" in error.message


def test_it_refuses_a_copy_block_without_its_end_line():
    dump = copy_dump(foot="")
    cut = dump[: dump.rindex("\\.\n")]
    error = _refused(cut)
    assert error.line == line_of(cut, "COPY apiis_admin.vessels")
    assert error.column == "vessels"
    assert "truncated" in error.message


def test_it_refuses_an_insert_statement_cut_off():
    dump = insert_dump(foot="")
    cut = dump[: dump.index("'MA_052'") + 5]
    error = _refused(cut)
    assert error.line == line_of(cut, "'MA_0")
    assert "ends inside a statement" in error.message


def test_it_refuses_a_pg_dump_without_its_last_line():
    dump = copy_dump(foot="")
    error = _refused(dump)
    assert "truncated" in error.message
    assert error.line == dump.count("\n")


def test_it_refuses_an_insert_with_a_bad_literal():
    for bad, said in [
        (
            "now()",
            "expected a literal value (a quoted string, a number, NULL, true or false), "
            "at 'now(), NULL);'",
        ),
        ("'2004' || '01'", "at \"'2004' || '01', NULL);\""),
        ("(SELECT 1)", "at '(SELECT 1), NULL);'"),
        ("1 2", "at '1 2, NULL);'"),
    ]:
        dump = insert_dump().replace("'2004-01-13'", bad)
        error = _refused(dump)
        assert error.line == line_of(dump, "INSERT INTO apiis_admin.vessels"), bad
        assert error.column == "vessels"
        assert said in error.message, (bad, error.message)


def test_it_refuses_a_bad_literal_on_its_own_line_of_a_long_statement():
    dump = insert_dump().replace(
        "VALUES (1451, 'MA_052', 440, 100, '2004-01-13', NULL);",
        "VALUES\n (1450, 'MA_051', 440, 100, '2004-01-13', NULL),\n (1451, 'MA_052', 440, 100, "
        "'2004-01-13', foo);",
    )
    error = _refused(dump)
    assert error.line == line_of(dump, "(1451, 'MA_052'")
    assert "foo is not a literal" in error.message


def test_it_refuses_rows_of_the_wrong_width():
    dump = insert_dump().replace("'MA_052', 440", "'MA_052', 'extra', 440")
    error = _refused(dump)
    assert error.line == line_of(dump, "'extra'")
    assert error.column == "vessels"
    assert "7 values for the 6 columns of vessels" in error.message

    dump = copy_dump().replace("1451\tMA_052\t", "1451\tMA_052\textra\t")
    error = _refused(dump)
    assert error.line == line_of(dump, "extra")
    assert "7 values for the 6 columns of vessels" in error.message

    values = ", ".join(["1"] * 18)
    dump = insert_dump() + f"INSERT INTO vessels VALUES ({values});\n"  # noqa: S608
    error = _refused(dump)
    assert error.line == line_of(dump, "INSERT INTO vessels VALUES")
    assert "the table vessels has 17 columns" in error.message


def test_it_refuses_a_table_without_a_column_it_needs():
    dump = copy_dump().replace("(db_animal, ext_animal, db_unit,", "(db_animal, ext_animal, unit,")
    error = _refused(dump)
    assert error.line == line_of(dump, "1\tunknown_sire")
    assert error.column == "transfer.db_unit"
    assert "no column db_unit" in error.message


def test_it_refuses_a_dump_without_cryoweb_tables():
    dump = HEAD + "COPY public.things (a, b) FROM stdin;\n1\t2\n\\.\n" + FOOT
    error = _refused(dump)
    assert "none of the Cryoweb tables" in error.message
    assert error.line is None


def test_it_refuses_a_dump_without_animals():
    error = _refused(copy_dump({"animal": [], "vessels": []}))
    assert "no animals" in error.message


def test_it_refuses_a_vessel_of_a_missing_animal():
    dump = copy_dump({"vessels": [[1451, "MA_052", 777, 100, "2004-01-13", None]]})
    error = _refused(dump)
    assert error.line == line_of(dump, "MA_052")
    assert error.column == "vessels.db_animal"
    assert "'MA_052' belongs to animal 777, which is not in the animal table" in error.message


def test_it_refuses_a_vessel_without_a_known_protocol():
    for protocol, said in [(None, "has no protocol"), (555, "protocol 555 is not in")]:
        dump = copy_dump({"vessels": [[1451, "MA_052", 440, protocol, "2004-01-13", None]]})
        error = _refused(dump)
        assert error.line == line_of(dump, "MA_052")
        assert error.column == "vessels.protocol_id"
        assert said in error.message


def test_it_refuses_a_protocol_whose_material_is_not_a_code():
    dump = copy_dump({"protocols": [[100, "P", 999]]})
    error = _refused(dump)
    assert error.line == line_of(dump, "100\tP\t999")
    assert error.column == "protocols.db_material_type"


def test_it_refuses_an_animal_without_an_external_id():
    dump = copy_dump({"transfer": ROWS["transfer"][:-1]})
    error = _refused(dump)
    assert error.line == line_of(dump, "440\t438")
    assert "animal 440 has no row in transfer" in error.message

    dump = copy_dump({"transfer": [*ROWS["transfer"][:-1], [440, "WF001265", 555, None, None]]})
    error = _refused(dump)
    assert error.line == line_of(dump, "440\tWF001265")
    assert error.column == "transfer.db_unit"
    assert "unit 555" in error.message


def test_it_refuses_two_animals_with_the_same_name_naming_both_lines():
    transfer = [*ROWS["transfer"][:-1], [440, "WF60/6532", 100, None, None]]
    dump = copy_dump({"transfer": transfer})
    error = _refused(dump)
    first, second = line_of(dump, "439\t1\t2"), line_of(dump, "440\t438")
    assert error.line == second
    assert f"lines {first} and {second}" in error.message
    assert "ANIMAL:::ID:::WF60/6532" in error.message


def test_it_refuses_two_vessels_with_the_same_name_naming_both_lines():
    vessels = [[1451, "MA_052", 440, 100, None, None], [1452, "MA_052", 438, 100, None, None]]
    dump = insert_dump({"vessels": vessels})
    error = _refused(dump)
    first, second = line_of(dump, "(1451,"), line_of(dump, "(1452,")
    assert (error.line, error.column) == (second, "vessels.ext_vessel")
    assert f"lines {first} and {second}" in error.message


def test_it_refuses_two_vessels_with_the_same_name_in_one_statement():
    dump = insert_dump().replace(
        "VALUES (1451, 'MA_052', 440, 100, '2004-01-13', NULL);",
        "VALUES (1451, 'MA_052', 440, 100, NULL, NULL), (1452, 'MA_052', 440, 100, NULL, NULL);",
    )
    error = _refused(dump)
    line = line_of(dump, "(1452, 'MA_052'")
    assert (error.line, error.column) == (line, "vessels.ext_vessel")
    assert f"lines {line} and {line}" in error.message


def test_it_refuses_an_animal_twice():
    dump = copy_dump({"animal": [*ROWS["animal"], ROWS["animal"][0]]})
    error = _refused(dump)
    assert error.column == "animal.db_animal"
    assert "animal 438 appears twice" in error.message


def test_it_refuses_an_animal_of_a_breed_without_efabis_data():
    dump = copy_dump({"breeds_species": [[999, 313, "Other", "Sheep", "Germany"]]})
    error = _refused(dump)
    assert error.line == line_of(dump, "438\t1\t2")
    assert error.column == "animal.db_breed"
    assert "breeds_species" in error.message

    dump = copy_dump({"breeds_species": [[317, 313, "Ostfriesisches Milchschaf", "Sheep", None]]})
    error = _refused(dump)
    assert error.column == "breeds_species.efabis_country"


def test_it_refuses_values_that_are_not_dates_or_numbers():
    dump = copy_dump({"vessels": [[1451, "MA_052", 440, 100, "13.01.2004", None]]})
    error = _refused(dump)
    assert (error.line, error.column) == (line_of(dump, "MA_052"), "vessels.production_dt")
    assert "'13.01.2004' is not a date" in error.message

    animals = [*ROWS["animal"][:2], [440, 438, 439, 118, 317, 313, None, "north", 8.9, None]]
    dump = copy_dump({"animal": animals})
    error = _refused(dump)
    assert (error.line, error.column) == (line_of(dump, "north"), "animal.latitude")


@pytest.mark.attack
@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE apiis_admin.x (a int);",
        "DROP TABLE apiis_admin.animal;",
        "UPDATE apiis_admin.animal SET db_sex = 117;",
        "DELETE FROM apiis_admin.animal;",
        "TRUNCATE apiis_admin.animal;",
        "DO $$ BEGIN PERFORM pg_sleep(1); END $$;",
        "COPY apiis_admin.animal (db_animal) TO PROGRAM 'rm -rf /';",
        "COPY apiis_admin.animal (db_animal) FROM '/etc/passwd';",
        "COPY apiis_admin.animal (db_animal) FROM PROGRAM 'id';",
        "INSERT INTO apiis_admin.animal SELECT * FROM apiis_admin.animal;",
        "SELECT pg_sleep(10);",
        "GRANT ALL ON apiis_admin.animal TO public;",
    ],
)
def test_it_refuses_sql_that_is_not_data(statement):
    dump = copy_dump(head=HEAD + "\n" + statement + "\n")
    error = _refused(dump)
    assert error.line == line_of(dump, statement[:12])
    assert (
        "not data" in error.message
        or "cannot be read as data" in error.message
        or ("only 'COPY" in error.message)
    )


@pytest.mark.attack
def test_it_refuses_sql_hidden_after_a_statement_on_the_same_line():
    dump = copy_dump(head=HEAD + "SET a = 1; DROP TABLE apiis_admin.animal;\n")
    error = _refused(dump)
    assert "DROP statement" in error.message
    dump = insert_dump().replace("'2004-01-13', NULL);", "'2004-01-13', NULL); DROP TABLE x;")
    error = _refused(dump)
    assert error.line == line_of(dump, "DROP TABLE x")


def test_it_refuses_an_encoding_it_does_not_read():
    error = _refused(copy_dump(head="SET client_encoding = 'EUC_JP';\n"))
    assert (error.line, "EUC_JP encoding") == (1, "EUC_JP encoding")
    assert "EUC_JP" in error.message


@pytest.mark.attack
def test_it_refuses_data_on_the_line_of_a_copy_statement():
    dump = copy_dump().replace("FROM stdin;\n438", "FROM stdin; 438")
    error = _refused(dump)
    assert error.line == line_of(dump, "FROM stdin; 438")


def test_it_reports_every_wrong_row_of_the_dump_at_once():
    animals = [*ROWS["animal"][:2], [440, 438, 439, 118, 317, 313, None, "north", 8.9, None]]
    vessels = [
        [1451, "MA_052", 440, 100, "13.01.2004", None],
        [1452, "MA_053", 438, 555, None, None],
        [1453, "MA_054", 439, 100, "2004-01-13", None],
    ]
    dump = copy_dump({"animal": animals, "vessels": vessels})

    error = _refused(dump)

    assert error.total == 3
    assert [(p.line, p.column) for p in error.problems] == [
        (line_of(dump, "north"), "animal.latitude"),
        (line_of(dump, "MA_052"), "vessels.production_dt"),
        (line_of(dump, "MA_053"), "vessels.protocol_id"),
    ]
    text = str(error)
    assert text.startswith("dump.sql: 3 problems:\n- line ")
    assert "'13.01.2004' is not a date" in text and "protocol 555 is not in" in text


def test_it_tells_a_broken_breed_once_not_once_per_animal():
    dump = copy_dump({"breeds_species": [[317, 313, "Ostfriesisches Milchschaf", "Sheep", None]]})

    error = _refused(dump)

    # All three animals are of that breed: one problem, at the breed's own line.
    assert not hasattr(error, "problems")
    assert error.column == "breeds_species.efabis_country"


def test_it_does_not_tell_the_samples_of_an_animal_without_a_name_again():
    # Animal 440 has no transfer row (so no name); its vessel MA_052 is not a second problem.
    error = _refused(copy_dump({"transfer": ROWS["transfer"][:-1]}))

    assert not hasattr(error, "problems")
    assert "animal 440 has no row in transfer" in error.message


@pytest.mark.attack
def test_it_names_where_a_nul_byte_stands_in_a_value():
    # PostgreSQL text cannot hold NUL: the import used to end in "failed unexpectedly".
    raw_copy = copy_dump({"breeds_species": [[317, 313, "Rhön\0schaf", "Sheep", "Germany"]]})
    escaped_copy = copy_dump(
        {"breeds_species": [[317, 313, "RhönNULschaf", "Sheep", "Germany"]]}
    ).replace("NUL", "\\000")
    raw_insert = insert_dump({"breeds_species": [[317, 313, "Rhön\0schaf", "Sheep", "Germany"]]})
    escaped_insert = insert_dump(
        {"breeds_species": [[317, 313, "RhönNULschaf", "Sheep", "Germany"]]}
    ).replace("'RhönNULschaf'", "E'Rhön\\0schaf'")
    for dump in (raw_copy, escaped_copy, raw_insert, escaped_insert):
        error = _refused(dump.encode())
        assert error.line == line_of(dump, "Rhön")
        assert "NUL byte (\\0)" in error.message
