"""Every test marked `slow` runs somewhere: in `.ci/run`'s slow step, or it is one of the long runs the README names
as separate commands. A slow negative control that no CI step collects could never fail (this session's three new
control files were missing from the step until this test)."""

from __future__ import annotations

import re
from pathlib import Path

SLOW = re.compile(r"^\s*@pytest\.mark\.slow|marks=.*pytest\.mark\.slow|^pytestmark = .*slow", re.MULTILINE)
ROOT = Path(__file__).parents[1]
# long runs left to `python -m pytest -q -m slow` by design (the README's "Run the tests" and sweep sections):
# sweeps over installed files and real 1.x code, the robustness sweep, the site (`.ci/run` builds and checks it with
# `t2l site` instead) and the longest DDP run
LONG_RUNS = {
    "tests/converter/test_upgrade_sweep.py",
    "tests/converter/test_robustness.py",
    "tests/converter/test_upgrade_lightning_examples.py",
    "tests/test_site.py",
    "tests/test_ddp.py",
}


def test_every_file_with_slow_tests_is_in_the_ci_slow_step_or_a_named_long_run():
    ci = (ROOT / ".ci" / "run").read_text()
    slow = {str(p.relative_to(ROOT)) for p in ROOT.joinpath("tests").rglob("test_*.py") if SLOW.search(p.read_text())}
    missing = {f for f in slow - LONG_RUNS if f not in ci}
    assert not missing, f"slow tests no CI step runs: {sorted(missing)}"
    assert LONG_RUNS <= slow  # a long run that lost its slow tests leaves this list
