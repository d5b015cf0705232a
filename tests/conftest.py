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


# `make test-fast` runs in under a minute on a quiet two-core machine by leaving these to `make test`: each
# builds sites several times over (incremental rebuilds, a killed drawing process, a live server) or runs
# hundreds of generated specs. They are listed here rather than marked in their files, so that the fast
# selection is decided in one place.
SLOW_IN_FAST = (
    "tests/test_build.py::test_a_changed_spec_rebuilds_its_own_pages_and_flowcharts_and_no_others",
    "tests/test_build.py::test_search_index_does_not_grow_with_superseded_versions",
    "tests/test_build.py::test_serve_rebuilds_on_change_and_keeps_the_last_good_site_when_a_spec_breaks",
    "tests/test_build.py::test_a_drawing_process_killed_mid_build_is_made_up_for_in_the_main_process",
    "tests/test_fuzz_specs.py::test_mutated_fields",
    "tests/test_fuzz_specs.py::test_mutated_text",
    "tests/test_review_findings.py::test_a_reader_that_stops_early_is_not_an_error",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("[")[0] in SLOW_IN_FAST:
            item.add_marker(pytest.mark.slow)
