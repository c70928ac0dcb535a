"""No input makes a reader hold more than a line's cap in memory: endless lines are refused.

Each parse runs in a child process of its own, so that its peak memory (VmHWM) is its own.
"""

import gzip
import subprocess
import sys
import textwrap

import pytest

pytestmark = [pytest.mark.attack, pytest.mark.slow]

PEAK_LIMIT_MB = 300
_CHILD = textwrap.dedent(
    """
    import sys
    from django.conf import settings
    settings.configure(UPLOAD_MAX_UNCOMPRESSED_BYTES=1024 ** 3)
    from uid.compression import upload_decompressed
    from uid.records import ParseError
    kind, path = sys.argv[1:]
    if kind == "crbanim":
        from crbanim.parser import parse_csv as parse
    else:
        from cryoweb.parser import parse_dump as parse
    with open(path, "rb") as raw:
        stream = upload_decompressed(raw, filename="upload.gz")
        try:
            for _ in parse(stream, filename="upload.gz"):
                pass
            print("PARSED")
        except ParseError as exc:
            print("REFUSED", exc)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("PEAK_KB", line.split()[1])
    """
)


def _parse_in_child(kind: str, path) -> tuple[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = done.stdout.splitlines()
    peak_kb = int(next(line for line in lines if line.startswith("PEAK_KB")).split()[1])
    return lines[0], peak_kb // 1024


@pytest.fixture(scope="module")
def nul_bomb(tmp_path_factory):
    """1 MB of gzip that decompresses to 400 MB of NUL bytes, without a line break."""
    path = tmp_path_factory.mktemp("bomb") / "nuls.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        block = b"\0" * (1024 * 1024)
        for _ in range(400):
            out.write(block)
    return path


@pytest.fixture(scope="module")
def long_line(tmp_path_factory):
    """A 'CSV' whose header goes on for 400 MB of letters (gzip-compressed)."""
    path = tmp_path_factory.mktemp("long") / "long.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"sex,species_latin_name,")
        block = b"a" * (1024 * 1024)
        for _ in range(400):
            out.write(block)
    return path


def test_it_refuses_a_crbanim_gzip_of_nul_bytes_without_reading_it_whole(nul_bomb):
    said, peak_mb = _parse_in_child("crbanim", nul_bomb)
    assert said.startswith("REFUSED upload.gz, line 1: "), said
    assert peak_mb < PEAK_LIMIT_MB, f"the CRB-Anim reader peaked at {peak_mb} MB"


def test_it_refuses_a_cryoweb_gzip_of_nul_bytes_without_reading_it_whole(nul_bomb):
    said, peak_mb = _parse_in_child("cryoweb", nul_bomb)
    assert said.startswith("REFUSED upload.gz, line 1: "), said
    assert peak_mb < PEAK_LIMIT_MB, f"the Cryoweb reader peaked at {peak_mb} MB"


def test_it_refuses_a_crbanim_line_that_never_ends(long_line):
    said, peak_mb = _parse_in_child("crbanim", long_line)
    assert said.startswith("REFUSED upload.gz, line 1: this line is longer than"), said
    assert peak_mb < PEAK_LIMIT_MB, f"the CRB-Anim reader peaked at {peak_mb} MB"
