"""Builds never leave less than they found, stale folders of killed builds are cleaned, and `guidance check`
refuses what the build would refuse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import build
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "specs" / "minimal" / "2025-01.yaml"


@pytest.fixture
def unprintable(tmp_path) -> Path:
    """A spec that passes the loader but whose flowchart cannot print legibly on A4."""
    data = yaml.safe_load(MINIMAL.read_text())
    for stage in data["routes"][0]["stages"]:
        stage["role"] = ("A very long role description that goes on " * 80)[:3900]
    folder = tmp_path / "protocols" / "minimal"
    folder.mkdir(parents=True)
    (folder / "2025-01.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return tmp_path / "protocols"


def test_check_refuses_a_spec_the_build_would_refuse(unprintable, capsys):
    assert main(["check", str(unprintable)]) == 1
    err = capsys.readouterr().err
    assert f"{unprintable}/minimal/2025-01.yaml:24:3: routes[0]: " in err and "too large to print" in err
    assert main(["check", "--no-drawings", str(unprintable)]) == 0


def test_build_site_dir_keeps_dir_when_the_build_fails(unprintable, tmp_path):
    dest = tmp_path / "dest"
    out = dest / "out"
    out.mkdir(parents=True)
    (out / "previous.html").write_text("the site as it was")
    stale = dest / ".out-building-999999999-abc"  # a build killed long ago (no such process)
    stale.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--protocols", str(unprintable),
                          "--site-dir", str(out)], cwd=work, capture_output=True, text=True, env=os.environ)
    assert run.returncode == 1
    assert "too large to print" in run.stderr and "Traceback" not in run.stderr
    assert (out / "previous.html").read_text() == "the site as it was"
    assert sorted(p.name for p in dest.iterdir()) == ["out"]  # no staging folder left, stale gone


def test_stale_folders_are_cleaned_but_a_running_build_is_left_alone(tmp_path):
    dest = tmp_path / "site"
    dead = tmp_path / ".site-building-999999999-x"
    old = tmp_path / ".site-old-999999999-y"
    running = tmp_path / f".site-building-{os.getppid()}-z"  # a live process: another build in progress
    for folder in (dead, old, running):
        folder.mkdir()
    staging = build.staging_dir(dest)
    assert not dead.exists() and not old.exists()
    assert running.exists() and staging.exists() and staging.name.startswith(f".site-building-{os.getpid()}-")


def test_the_bundle_and_wheel_checksums_are_written_at_build_time(tmp_path):
    import datetime as dt
    import hashlib
    import json

    from generator import load
    from generator.views import bundle

    written = bundle.write_bundle(load.load_tree(ROOT / "protocols"), tmp_path, today=dt.date(2026, 6, 1))
    sums = json.loads((written.directory / bundle.CHECKSUMS_NAME).read_text())
    assert sums == {"bundle.json": hashlib.sha256(written.bundle_json.read_bytes()).hexdigest(),
                    written.wheel.name: hashlib.sha256(written.wheel.read_bytes()).hexdigest()}
