"""The systemd units of deploy/systemd: the keys the deploy guide relies on,
and `systemd-analyze verify` where it is installed (docs/deploy.md)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
# Where docs/deploy.md installs the checkout; the tests map it to this one.
INSTALL_DIR = "/srv/gongkao"


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file, each key with all its values (ExecStart repeats)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}: {line!r} before any section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: {line!r} is not Key=Value"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    return read_unit(UNITS / name)


SERVICES = sorted(p.name for p in UNITS.glob("*.service"))
TIMERS = sorted(p.name for p in UNITS.glob("*.timer"))


def test_the_guide_ships_every_unit():
    assert SERVICES == [
        "gongkao-backup.service",
        "gongkao-sweep.service",
        "gongkao-web.service",
        "gongkao-worker.service",
    ]
    assert TIMERS == ["gongkao-backup.timer", "gongkao-sweep.timer"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_as_gongkao_with_the_shared_settings(name):
    service = unit(name)["Service"]
    assert service["User"] == ["gongkao"]
    assert service["EnvironmentFile"] == ["/etc/gongkao/gongkao.env"]
    assert service["WorkingDirectory"] == [INSTALL_DIR]
    assert service["NoNewPrivileges"] == ["true"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_command_exists_in_the_checkout(name):
    for command in unit(name)["Service"]["ExecStart"]:
        for word in command.split():
            if word.startswith(INSTALL_DIR + "/") and "/.venv/" not in word:
                assert (ROOT / word.removeprefix(INSTALL_DIR + "/")).exists(), word


def test_web_runs_gunicorn_with_the_shared_config():
    web = unit("gongkao-web.service")
    assert web["Service"]["ExecStart"] == [
        f"{INSTALL_DIR}/.venv/bin/gunicorn -c {INSTALL_DIR}/deploy/gunicorn.conf.py"
    ]
    assert web["Service"]["Type"] == ["notify"]
    assert web["Service"]["Restart"] == ["on-failure"]
    assert web["Install"]["WantedBy"] == ["multi-user.target"]


def test_worker_stops_with_sigterm_after_its_task():
    worker = unit("gongkao-worker.service")["Service"]
    assert worker["ExecStart"] == [
        f"{INSTALL_DIR}/.venv/bin/python {INSTALL_DIR}/manage.py db_worker --no-reload"
    ]
    assert worker["KillSignal"] == ["SIGTERM"]
    assert worker["Restart"] == ["always"]
    assert int(worker["TimeoutStopSec"][0]) >= 60


def test_sweep_runs_once_a_day_beijing_time():
    sweep = unit("gongkao-sweep.service")["Service"]
    assert sweep["Type"] == ["oneshot"]
    assert sweep["ExecStart"][0].endswith("manage.py sweep_deadlines")
    timer = unit("gongkao-sweep.timer")["Timer"]
    assert timer["OnCalendar"] == ["*-*-* 00:30:00 Asia/Shanghai"]
    assert timer["Persistent"] == ["true"]


def test_backup_runs_the_backup_script_nightly():
    backup = unit("gongkao-backup.service")["Service"]
    assert backup["ExecStart"] == [
        f"{INSTALL_DIR}/deploy/backup.sh /var/backups/gongkao"
    ]
    assert unit("gongkao-backup.timer")["Timer"]["Persistent"] == ["true"]


@pytest.mark.parametrize("name", TIMERS)
def test_every_timer_has_its_service(name):
    assert (UNITS / name.replace(".timer", ".service")).is_file()
    assert unit(name)["Install"]["WantedBy"] == ["timers.target"]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian's systemd package has it)",
)
def test_systemd_analyze_verifies_every_unit(tmp_path):
    # The units name /srv/gongkao; verify checks that each command exists, so
    # point them at this checkout (with its .venv) instead.
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("needs the checkout's .venv (make install)")
    for path in UNITS.iterdir():
        text = path.read_text(encoding="utf-8").replace(INSTALL_DIR, str(ROOT))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Unknown keys and bad values are only warnings: fail on them too.
    assert result.stderr == "", result.stderr
