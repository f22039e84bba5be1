"""Shared test helpers: running pairs in a temporary directory, and source mutations for negative controls."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from pairs.harness.run import config_for, quiet_lightning, run_side
from pairs.harness.record import RunResult, compare
from pairs.harness.registry import get


def mutated_fit(pair_name: str, side: str, old: str, new: str):
    """The `fit` of a copy of one side's source with `old` replaced by `new` (exactly one occurrence).

    A negative control changes the real code the reader sees, not a flag the production code checks.
    """
    path = get(pair_name).source(side)
    source = path.read_text()
    assert source.count(old) == 1, f"{old!r} should occur exactly once in {path}"
    module = types.ModuleType(f"pairs.{pair_name}.{side}_mutated")
    module.__file__ = str(path)
    exec(compile(source.replace(old, new), str(path), "exec"), module.__dict__)
    return module.fit


@pytest.fixture
def run(tmp_path: Path):
    """run(pair, side, fit=None, **config) -> RunResult, with logs and checkpoints under tmp_path."""
    quiet_lightning()

    def _run(pair_name: str, side: str, fit=None, **overrides) -> RunResult:
        pair = get(pair_name)
        return run_side(pair, side, config_for(pair, root_dir=tmp_path, **overrides), fit=fit)

    return _run


def run_both(pair_name: str, root: Path, **overrides) -> dict[str, RunResult]:
    """Both sides of a pair under one config: the reference a test module compares against."""
    quiet_lightning()
    pair = get(pair_name)
    config = config_for(pair, root_dir=root, **overrides)
    return {side: run_side(pair, side, config) for side in ("plain", "lightning")}


__all__ = ["compare", "mutated_fit", "run_both"]
