"""The converter (both targets) over every .py file of the installed torch and pytorch_lightning: no crash, output
always parses.

Marked slow (thousands of files, a few minutes): `python -m pytest -m slow tests/converter/test_robustness.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.bench import TARGETS, installed_corpus, sweep
from converter.report import ALREADY_LIGHTNING, BAD_INPUT, CONVERTED, CONVERTED_WITH_TODOS, DECLINED, NO_LOOP


@pytest.mark.slow
@pytest.mark.parametrize("to", list(TARGETS))
def test_installed_packages_never_crash_the_converter(to):
    files = installed_corpus()
    assert len(files) > 1000
    outcomes, crashes = sweep(files, convert=TARGETS[to])
    assert crashes == []
    assert set(outcomes) <= {CONVERTED, CONVERTED_WITH_TODOS, DECLINED, NO_LOOP, ALREADY_LIGHTNING, BAD_INPUT}
    assert sum(outcomes.values()) == len(files)


@pytest.mark.parametrize("to", list(TARGETS))
def test_a_sample_of_installed_files_never_crashes_the_converter(to):
    """The fast version for every run: the files most likely to hold training loops."""
    files = [p for p in installed_corpus() if ".backward(" in p.read_text(encoding="utf-8", errors="replace")]
    assert files
    outcomes, crashes = sweep(files[:30], convert=TARGETS[to])
    assert crashes == []


def _upgrade_outcomes(limit: int | None = None) -> tuple[list[str], list[str]]:
    """Run `t2l upgrade` over installed Lightning 2.x itself: (files it would change, files it crashed on)."""
    import pytorch_lightning

    from converter.upgrade import upgrade_source

    root = Path(pytorch_lightning.__file__).parent
    changed, crashed = [], []
    for path in sorted(root.rglob("*.py"))[:limit]:
        try:
            output, _ = upgrade_source(path.read_text(encoding="utf-8"), str(path))
        except Exception as error:  # noqa: BLE001  (any exception is a finding here)
            crashed.append(f"{path}: {error!r}")
            continue
        if output is not None:
            changed.append(str(path.relative_to(root)))
    return changed, crashed


@pytest.mark.slow
def test_upgrade_leaves_all_of_installed_lightning_unchanged():
    """Lightning 2.x's own 175 files are 2.x code: upgrade must change none and crash on none."""
    changed, crashed = _upgrade_outcomes()
    assert crashed == [] and changed == []


def test_upgrade_leaves_a_sample_of_installed_lightning_unchanged():
    changed, crashed = _upgrade_outcomes(limit=25)
    assert crashed == [] and changed == []
