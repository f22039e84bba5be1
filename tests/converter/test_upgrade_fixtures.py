"""Every `t2l upgrade` fixture: the expected output, idempotence, and the output *runs* on the installed 2.x.

Fixtures live in upgrade_fixtures/ (`*.in.py` -> `*.out.py`, found automatically). The header says how:
  # t2l-fixture: run [--to PACKAGE] [-- ARGS]   upgrade, then run the output (tests/converter/run_upgraded.py)
  # t2l-fixture: unchanged                      2.x code: the upgrader must leave it exactly as it is
Regenerate expected outputs after a deliberate change: `T2L_UPDATE_FIXTURES=1 pytest tests/converter`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from converter.report import UP_TO_DATE
from converter.upgrade import upgrade_source
from tests.converter.fixtures import discover, remember, run_key
from tests.converter.run_upgraded import run as run_script

HERE = Path(__file__).parent
FIXTURES = discover(HERE / "upgrade_fixtures")
UPDATE = os.environ.get("T2L_UPDATE_FIXTURES") == "1"


def _to(fixture) -> str | None:
    return fixture.options[fixture.options.index("--to") + 1] if "--to" in fixture.options else None


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_upgrades_to_expected_output(fixture):
    source = fixture.input.read_text()
    output, report = upgrade_source(source, fixture.input.name, _to(fixture))
    output = source if output is None else output
    if UPDATE:
        fixture.expected.write_text(output)
    assert output == fixture.expected.read_text()
    if fixture.mode == "unchanged":
        assert output == source and report.status == UP_TO_DATE and not report.findings
    else:
        assert report.findings, "a run fixture must exercise at least one rule"
        assert all("T2L2" in f.code or f.is_todo for f in report.findings)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.mode == "run"], ids=str)
def test_upgraded_output_is_left_alone_when_upgraded_again(fixture):
    expected = fixture.expected.read_text()
    output, report = upgrade_source(expected, fixture.expected.name, _to(fixture))
    assert output is None or output == expected
    assert not [f for f in report.findings if not f.is_todo], report.findings


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.mode == "run"], ids=str)
def test_upgraded_output_runs_on_lightning_2(fixture, tmp_path):
    result = run_script(fixture.expected, list(fixture.args), tmp_path)
    remember(result, run_key(fixture.expected.read_text(), list(fixture.args)))  # the gallery's verdict
    assert result.returncode == 0, result.stderr[-3000:]
    assert "t2l-run: finished" in result.stdout


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_report_lines_are_the_input_lines_they_are_about(fixture):
    """A rule that runs on a second pass (after Trainer.from_argparse_args grew into a Trainer(...) call) reads
    moved lines: its findings are mapped back (it once said line 40 of a 30-line file; the site's link check saw it)."""
    source = fixture.input.read_text()
    lines = source.splitlines()
    _, report = upgrade_source(source, fixture.input.name, _to(fixture))
    assert all(0 <= f.line <= len(lines) for f in report.findings), [(f.line, f.code) for f in report.findings]
    for finding in (f for f in report.findings if f.code == "T2L225"):  # fit(train_dataloader=) and friends
        assert "_dataloader" in lines[finding.line - 1], (finding, lines[finding.line - 1])
