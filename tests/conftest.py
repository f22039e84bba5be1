"""Shared test helpers: running pairs in a temporary directory, and edited copies of a side for negative controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from pairs.harness.record import RunResult, compare
from pairs.harness.registry import SIDES, get
from pairs.harness.run import config_for, quiet_lightning, run_side


def edited(pair_name: str, side: str, old: str, new: str, directory: Path) -> Path:
    """A copy of one side's source with `old` replaced by `new` (exactly one occurrence), to run instead of it.

    A negative control edits the code the learner reads, not a flag the production code checks.
    """
    path = get(pair_name).source(side)
    source = path.read_text()
    assert source.count(old) == 1, f"{old!r} should occur exactly once in {path}"
    copy = directory / f"{pair_name}_{side}_edited_{abs(hash((old, new)))}.py"
    copy.write_text(source.replace(old, new))
    return copy


@pytest.fixture
def run(tmp_path: Path):
    """run(pair, side, source=None, **config) -> RunResult, with logs and checkpoints under tmp_path."""
    quiet_lightning()

    def _run(pair_name: str, side: str, source: Path | None = None, **overrides) -> RunResult:
        pair = get(pair_name)
        return run_side(pair, side, config_for(pair, root_dir=tmp_path, **overrides), source=source)

    return _run


def run_sides(pair_name: str, root: Path, sides: tuple[str, ...] = SIDES, **overrides) -> dict[str, RunResult]:
    """Every side of a pair (plain, fabric, lightning) under one config: what a test module compares against."""
    quiet_lightning()
    pair = get(pair_name)
    config = config_for(pair, root_dir=root, **overrides)
    return {side: run_side(pair, side, config) for side in sides}


def assert_all_equal(results: dict[str, RunResult]) -> None:
    """Every side bitwise equal to plain.py's run, naming the series that are not."""
    reference = results["plain"]
    for side, result in results.items():
        comparison = compare(reference, result)
        assert comparison.bitwise_equal, (side, [s for s in comparison.series if not s.equal])


__all__ = ["assert_all_equal", "compare", "edited", "run_sides"]
