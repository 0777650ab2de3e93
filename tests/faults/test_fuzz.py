"""The probe, sized small for the suite (bench/fuzz_long.py runs 10,000): hostile
packages, evidence names and contents, command lines and session files end in an exit
code, never a traceback, and a refused command records nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.faults import probe

SMALL = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def prober(tmp_path_factory: pytest.TempPathFactory) -> probe.Probe:
    return probe.Probe(tmp_path_factory.mktemp("probe"))


@SMALL
@given(text=probe.packages())
def test_fuzzed_packages(prober: probe.Probe, text: str) -> None:
    prober.package(text)


@SMALL
@given(name=probe.evidence_names, content=probe.evidence_contents)
def test_fuzzed_evidence(prober: probe.Probe, name: str, content: bytes) -> None:
    prober.evidence(name, content)


@SMALL
@given(argv=probe.argvs)
def test_fuzzed_command_lines(prober: probe.Probe, argv: list[str]) -> None:
    prober.argv(argv)


@SMALL
@given(content=probe.session_contents)
def test_fuzzed_session_files(prober: probe.Probe, content: bytes) -> None:
    prober.session_file(content)


def test_the_probe_store_still_verifies(prober: probe.Probe) -> None:
    assert prober.run(["verify"]).code == 0
    assert Path(prober.root / "probe.db").exists()
