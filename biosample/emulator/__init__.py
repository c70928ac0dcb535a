"""A BioSamples and Webin emulator: a test double for the remote archive, over real HTTP.

It answers as the real service does (../shared/specs/biosamples.md, "What our emulator
must do"): the Webin token endpoint; POST, PUT and GET of samples with the server's
checks in the server's order and with its messages; owner-only private samples;
SAMEA/ERS accession counters; incoming relationships on GET; ``/samples`` search with
``name:``, ``attr:``, ``acc:`` and ``webinId:`` filters, cursor and page paging; ``/accessions``
paging; and injected faults. Its archive is its own SQLite file, apart from our records.

Paths below its root are the real service's: ``/biosamples/samples/{accession}`` and
``/ena/submit/webin/auth/token``, so BIOSAMPLES_URL = ``<root>/biosamples`` and
WEBIN_AUTH_URL = ``<root>/ena/submit/webin/auth``.

In a test (in-process, on a free port)::

    with Emulator(accounts={"Webin-1": "secret"}, storage=tmp_path / "a.sqlite3") as emu:
        emu.biosamples_url, emu.webin_auth_url          # point the client here
        emu.faults.script(500, "429:2", method="POST", path="/biosamples/samples")
        emu.faults.configure(error_rate=0.1, drop_after_write_rate=0.02, seed=1)
        emu.token_issue("Webin-1", lifetime=-1)         # an expired token
        emu.clock_advance(3600)                         # tokens expire, releases pass

As a process: ``python -m biosample.emulator --port 8081`` (``make run`` and ``make stack``
start it when BIOSAMPLES_URL is not set). Its faults are then set over HTTP, below a
secret path kept in ``DATA_DIR/biosamples-emulator/control-secret``::

    POST   /_emulator/<secret>/faults    {"error_rate": 0.1, "drop_after_write_rate": 0.02,
                                          "delay": 0.05, "seed": 1,
                                          "script": [500, "429:2"], "script_method": "POST",
                                          "script_path": "/biosamples/samples"}
    DELETE /_emulator/<secret>/faults    no faults
    GET    /_emulator/<secret>/stats     samples, duplicate names, faults injected
    POST   /_emulator/<secret>/accounts  {"username": "Webin-2", "password": "…"}
    POST   /_emulator/<secret>/clock     {"advance": 3600}
    POST   /_emulator/<secret>/settings  {"token_lifetime": 60, "search_delay": 2}

See :mod:`biosample.emulator.faults` for the fault vocabulary.
"""

from biosample.emulator.faults import Fault, Faults
from biosample.emulator.server import Emulator

__all__ = ["Emulator", "Fault", "Faults"]
