"""Dependencies run one way: format apps and language depend on uid, never the reverse."""

import re
from pathlib import Path

UID = Path(__file__).resolve().parents[1]
IMPORT = re.compile(r"^\s*(?:from|import) (cryoweb|crbanim|excel|language)\b", re.MULTILINE)


def test_uid_imports_neither_a_format_app_nor_language():
    offenders = {
        f"{path.relative_to(UID)}: {match}"
        for path in UID.rglob("*.py")
        if "tests" not in path.parts and path.name != "bench.py"
        for match in IMPORT.findall(path.read_text())
    }
    assert offenders == set()


def test_the_benchmark_imports_only_the_format_apps_file_writers():
    source = (UID / "management" / "commands" / "bench.py").read_text()
    assert set(IMPORT.findall(source)) <= {"cryoweb", "crbanim", "excel"}
    assert "language" not in IMPORT.findall(source)
