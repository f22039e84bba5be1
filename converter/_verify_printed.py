"""What `t2l convert --verify` checks of the lines the scripts print: every line the converted script printed, the
original printed too (as many times). A line only the original printed is not a difference: a conversion to a
LightningModule moves the batch loop's prints to `self.log` (T2L113).

Two exceptions, each exact about what it leaves out:
- When the runs stop at STEPS, the lines the converted script printed during its last optimizer step (one per
  optimizer) are not compared: Lightning runs `training_step`, and its prints, before the step where the original
  printed after it, and the original stopped before printing its own.
- A number the original prints differently from run to run (a duration, a timestamp, a process id) is not
  compared: when lines differ (and the losses do not), the original runs a second time, its own clock ticking 1.7
  times as fast (`_verify_record.count_the_clock`: the script's clock advances at each reading, so every time
  figure changes), and a number that changed between its two runs (the n-th number of a line of the same shape)
  may differ in the converted script's line too. Every other number must be equal, character for character.
"""

from __future__ import annotations

import re
from collections import Counter

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def compared(record: dict) -> list[str]:
    """The lines of one process's record that are compared: all of them, less its last step's when it was stopped."""
    printed = record.get("printed", [])
    if not record.get("stopped"):
        return [line for _, line in printed]
    last_step = record["final_tag"] - max(1, len(record.get("initial_weights", [])))
    return [line for tag, line in printed if tag < last_step]


def unmatched(converted: list[str], original: list[str], original_again: list[str] | None = None) -> list[str]:
    """The converted script's lines the original did not print (with `original_again`, a second run of the
    original, numbers that changed between the original's runs are not compared)."""
    pool = Counter(original)
    left = []
    for line in converted:
        if pool[line]:
            pool[line] -= 1
        else:
            left.append(line)
    if not left or original_again is None:
        return left
    unstable = _unstable_numbers(original, original_again)
    rest = list(pool.elements())
    different = []
    for line in left:
        shape, numbers = _split(line)
        masked = unstable.get(shape, set())
        match = next((other for other in rest if masked and _equal_but(other, shape, numbers, masked)), None)
        if match is None:
            different.append(line)
        else:
            rest.remove(match)
    return different


def nearest(line: str, original: list[str]) -> str | None:
    """The original's line of the same shape with the most numbers equal to `line`'s (what it printed there)."""
    shape, numbers = _split(line)
    candidates = [other for other in original if _split(other)[0] == shape]
    return max(candidates, key=lambda other: sum(a == b for a, b in zip(_split(other)[1], numbers)), default=None)


def _equal_but(line: str, shape: str, numbers: list[str], masked: set[int]) -> bool:
    """`line` is of `shape` and has `numbers` at every position but the `masked` ones."""
    own_shape, own_numbers = _split(line)
    return own_shape == shape and all(a == b for i, (a, b) in enumerate(zip(own_numbers, numbers)) if i not in masked)


def _split(line: str) -> tuple[str, list[str]]:
    """A line's shape (its numbers replaced by #) and its numbers."""
    return NUMBER.sub("#", line), NUMBER.findall(line)


def _unstable_numbers(first: list[str], second: list[str]) -> dict[str, set[int]]:
    """For each shape of line, the positions of the numbers that differ between two runs of the same script (the
    n-th line of that shape in one run beside the n-th in the other)."""
    by_shape: dict[str, list[list[str]]] = {}
    for line in first:
        shape, numbers = _split(line)
        by_shape.setdefault(shape, []).append(numbers)
    seen: Counter = Counter()
    unstable: dict[str, set[int]] = {}
    for line in second:
        shape, numbers = _split(line)
        earlier = by_shape.get(shape, [])
        if seen[shape] < len(earlier):
            positions = {i for i, (a, b) in enumerate(zip(earlier[seen[shape]], numbers)) if a != b}
            if positions:
                unstable.setdefault(shape, set()).update(positions)
        seen[shape] += 1
    return unstable
