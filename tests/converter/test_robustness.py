"""The converter over every .py file of the installed torch and pytorch_lightning: no crash, output always parses.

Marked slow (thousands of files, a few minutes): `python -m pytest -m slow tests/converter/test_robustness.py`.
"""

from __future__ import annotations

import pytest

from converter.bench import installed_corpus, sweep
from converter.report import ALREADY_LIGHTNING, BAD_INPUT, CONVERTED, CONVERTED_WITH_TODOS, NO_LOOP


@pytest.mark.slow
def test_installed_packages_never_crash_the_converter():
    files = installed_corpus()
    assert len(files) > 1000
    outcomes, crashes = sweep(files)
    assert crashes == []
    assert set(outcomes) <= {CONVERTED, CONVERTED_WITH_TODOS, NO_LOOP, ALREADY_LIGHTNING, BAD_INPUT}
    assert sum(outcomes.values()) == len(files)


def test_a_sample_of_installed_files_never_crashes_the_converter():
    """The fast version for every run: the files most likely to hold training loops."""
    files = [p for p in installed_corpus() if ".backward(" in p.read_text(encoding="utf-8", errors="replace")]
    assert files
    outcomes, crashes = sweep(files[:60])
    assert crashes == []
