"""Shared by every test file: the browser tests' Chromium and built sites (tests/browser_helpers.py), and
the Testshire fixture's versions (loaded once, for test_diff.py and test_diff_markdown.py)."""

from pathlib import Path

import pytest

from generator import load

pytest_plugins = ["browser_helpers"]

VERSIONS = Path(__file__).resolve().parent / "fixtures" / "versions" / "testshire"


@pytest.fixture(scope="session")
def v2022():
    return load.load_protocol(VERSIONS / "2022-06.yaml")


@pytest.fixture(scope="session")
def v2024():
    return load.load_protocol(VERSIONS / "2024-01.yaml")


@pytest.fixture(scope="session")
def v2025():
    return load.load_protocol(VERSIONS / "2025-09.yaml")
