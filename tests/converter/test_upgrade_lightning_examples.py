"""Lightning 1.5's own examples after one `t2l upgrade --write` run on the installed Lightning 2.x (issue 24).

Marked slow (downloads the 1.5.0 wheel and the examples' dependencies once, then about a minute):
`python -m pytest -m slow tests/converter/test_upgrade_lightning_examples.py`; the table:
`python -m tests.converter.lightning_examples`. Skipped with a message when nothing can be downloaded.
"""

from __future__ import annotations

import pytest

from tests.converter.lightning_examples import BROKEN_IN_1X, EXPECTED, MARKED, RUNS, run_all


@pytest.fixture(scope="module")
def outcomes():
    try:
        return {o.script: o for o in run_all()}
    except OSError as error:
        pytest.skip(f"the 1.5.0 wheel or the examples' dependencies cannot be downloaded here: {error}")


@pytest.mark.slow
def test_every_example_that_can_run_on_2x_runs_after_one_upgrade(outcomes):
    runs = [s for s, (expected, _, _) in EXPECTED.items() if expected == RUNS]
    assert len(runs) >= 13
    failed = {s: outcomes[s].failure for s in runs if not outcomes[s].ran}
    assert failed == {}


@pytest.mark.slow
def test_every_other_example_fails_at_a_line_the_upgrade_marked_never_silently(outcomes):
    for script, (expected, _, _) in EXPECTED.items():
        outcome = outcomes[script]
        if expected == MARKED:
            assert not outcome.ran and outcome.marked_line, (script, outcome.failure)
        elif expected == BROKEN_IN_1X:  # the script's own bug, which the upgrade neither causes nor hides
            assert not outcome.ran and "log_wandb" in outcome.failure, (script, outcome.failure)


@pytest.mark.slow
def test_every_upgrade_summary_is_read_and_no_script_is_left_as_1x(outcomes):
    assert all(o.upgrade.startswith(("upgraded", "already 2.x")) for o in outcomes.values()), {
        s: o.upgrade for s, o in outcomes.items()}
