"""`make run` and `make stack` start the emulator unless BIOSAMPLES_URL names a service."""

import os

from injecttool.runner import EMULATOR_PORT, run_processes


def _names(processes):
    return [name for name, _ in processes]


def test_it_runs_with_make_run_when_biosamples_url_is_not_set(settings):
    processes = dict(run_processes(port=8000, settings="injecttool.settings.local", environ={}))

    assert processes["biosamples"].endswith(f"-m biosample.emulator --port {EMULATOR_PORT}")
    if os.environ.get("BIOSAMPLES_URL") or os.environ.get("WEBIN_AUTH_URL"):
        return
    # The settings' defaults point at it.
    root = f"http://127.0.0.1:{EMULATOR_PORT}"
    urls = (settings.BIOSAMPLES_URL, settings.WEBIN_AUTH_URL)
    assert urls == (
        f"{root}/biosamples",
        f"{root}/ena/submit/webin/auth",
    )


def test_it_stays_out_of_make_run_when_biosamples_url_is_set():
    environ = {"BIOSAMPLES_URL": "https://wwwdev.ebi.ac.uk/biosamples"}

    processes = run_processes(port=8000, settings="injecttool.settings.local", environ=environ)

    assert _names(processes) == ["web", "worker", "beat"]


def test_it_runs_with_make_stack_unless_biosamples_url_is_set(tmp_path):
    from injecttool.stack import stack_processes

    conf = tmp_path / "nginx.conf"
    settings_module = "injecttool.settings.local"

    alone = dict(stack_processes(port=8000, conf=conf, settings=settings_module, environ={}))
    remote = stack_processes(
        port=8000,
        conf=conf,
        settings=settings_module,
        environ={"BIOSAMPLES_URL": "https://www.ebi.ac.uk/biosamples"},
    )

    assert alone["biosamples"].startswith("exec ")
    assert alone["biosamples"].endswith(f"-m biosample.emulator --port {EMULATOR_PORT}")
    assert _names(remote) == ["nginx", "uwsgi", "asgi", "worker", "beat"]


def test_it_is_a_compose_service_of_the_dev_profile():
    import yaml

    from injecttool.testing.live import BASE_DIR

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    service = compose["services"]["biosamples-emulator"]

    assert service["profiles"] == ["dev"]
    assert service["ports"] == ["127.0.0.1:8081:8081"]
    script = BASE_DIR / service["command"][0].removeprefix("/app/")
    assert "python -m biosample.emulator --host 0.0.0.0 --port 8081" in script.read_text()
    assert "biosamples-emulator" in compose["volumes"]
