"""What one side's run produced (filled by `pairs.harness.probe.Probe`), and the bitwise comparison of two.

Losses are Python floats converted from float32 tensors, a conversion that is exact, so comparing floats with
`==` is a bitwise comparison of the float32 values; weights are compared with `torch.equal`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import torch


@dataclass
class RunResult:
    """Everything one side produced: per-step series, per-epoch metrics, final weights, wall time."""

    side: str
    series: dict[str, list[float]]  # "train/loss": one value per step; "val/loss": one per val batch
    epochs: list[dict[str, float]]  # per-epoch validation summary, e.g. {"val_loss":..., "val_acc":...}
    state_dict: dict[str, torch.Tensor]
    seconds: float = math.nan  # wall time of fit(); the median when a check was repeated
    all_seconds: list[float] = field(default_factory=list)  # every repetition's wall time
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> path of files a run wrote


@dataclass
class SeriesComparison:
    name: str
    compared: int  # values compared (the shorter length)
    identical: int
    max_abs_diff: float
    lengths: tuple[int, int]

    @property
    def equal(self) -> bool:
        return self.lengths[0] == self.lengths[1] and self.identical == self.compared


@dataclass
class Comparison:
    series: list[SeriesComparison]
    weights_compared: int
    weights_identical: int
    weights_max_abs_diff: float
    weight_keys_match: bool
    files_compared: int = 0  # artifacts (e.g. sample PNGs) present on both sides
    files_identical: int = 0
    file_names_match: bool = True

    @property
    def bitwise_equal(self) -> bool:
        return (
            all(s.equal for s in self.series)
            and self.weight_keys_match
            and self.weights_identical == self.weights_compared
            and self.file_names_match
            and self.files_identical == self.files_compared
        )

    @property
    def steps_compared(self) -> int:
        """Training steps compared: the length of the longest compared training series."""
        return max((s.compared for s in self.series if "train/" in s.name), default=0)

    @property
    def max_abs_diff(self) -> float:
        return max([s.max_abs_diff for s in self.series] + [self.weights_max_abs_diff])


def _epoch_series(result: RunResult) -> dict[str, list[float]]:
    """Per-epoch metrics as series named "epoch/<metric>", so they are compared like the rest."""
    out: dict[str, list[float]] = {}
    for metrics in result.epochs:
        for key, value in metrics.items():
            out.setdefault(f"epoch/{key}", []).append(value)
    return out


def compare(a: RunResult, b: RunResult) -> Comparison:
    """Compare two records value by value (== on float32 values, torch.equal on weights)."""
    series = []
    a_series, b_series = a.series | _epoch_series(a), b.series | _epoch_series(b)
    for name in sorted(set(a_series) | set(b_series)):
        xs, ys = a_series.get(name, []), b_series.get(name, [])
        pairs = list(zip(xs, ys))
        diffs = [abs(x - y) for x, y in pairs]
        series.append(
            SeriesComparison(
                name,
                compared=len(pairs),
                identical=sum(x == y for x, y in pairs),
                max_abs_diff=max(diffs, default=0.0),
                lengths=(len(xs), len(ys)),
            )
        )
    shared = sorted(set(a.state_dict) & set(b.state_dict))
    identical = sum(torch.equal(a.state_dict[k], b.state_dict[k]) for k in shared)
    weight_diff = max(
        (
            float((a.state_dict[k].double() - b.state_dict[k].double()).abs().max())
            for k in shared
            if a.state_dict[k].numel()
        ),
        default=0.0,
    )
    files = sorted(set(a.artifacts) & set(b.artifacts))
    return Comparison(
        series,
        weights_compared=len(shared),
        weights_identical=identical,
        weights_max_abs_diff=weight_diff,
        weight_keys_match=set(a.state_dict) == set(b.state_dict),
        files_compared=len(files),
        files_identical=sum(Path(a.artifacts[f]).read_bytes() == Path(b.artifacts[f]).read_bytes() for f in files),
        file_names_match=set(a.artifacts) == set(b.artifacts),
    )
