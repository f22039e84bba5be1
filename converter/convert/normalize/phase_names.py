"""A loop over the phases by name whose body goes on after the batch loop with the phase's results (the
transfer-learning tutorial: `for phase in ["train", "val"]:`, then `epoch_acc = running_corrects / sizes[phase]`, a
print, the best weights kept when `phase == "val"`) -> the body once per phase, in order (T2L163).

The phase loop rule (T2L120) splits such a loop into training_step and validation_step, but it has no place for the
code after the batch loop: it went, and with it the epoch's summary and the best weights that code after the training
loads. Once per phase, that code is the training's epoch end and the evaluation's, which the pipeline converts as
such; the copies are made as phase_tuples makes them (the phase's name put in, what it decided chosen).
"""

from __future__ import annotations

import libcst as cst

from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text
from converter.convert.normalize.phase_tuples import can_unroll, unrolled
from converter.names import reads, receivers, writes

CODES = {"T2L163": "a loop over the phases by name with code after its batch loop -> its body once per phase"}
RUNS_ON = BEFORE_PLANNING


def normalize(text: Text) -> Normalized | None:
    for loop in text.index.of_kind(cst.For):
        phases = _phase_names(loop)
        if phases is None or not _goes_on_after_the_batches(loop) or not can_unroll(text, loop, {loop.target.value}):  # type: ignore[attr-defined]
            continue
        name = loop.target.value  # type: ignore[attr-defined]
        message = f"`for {name} in ...` over {len(phases)} phases, with code after its batch loop -> its body once per phase"
        return unrolled(text, loop, [{name: phase} for phase in phases], "T2L163", message)
    return None


def _phase_names(loop: cst.For) -> list[cst.SimpleString] | None:
    """`for phase in ["train", "val"]:` -> the names, "train" among them."""
    iterated = loop.iter
    if not isinstance(loop.target, cst.Name) or not isinstance(iterated, (cst.List, cst.Tuple)) or loop.orelse is not None:
        return None
    names = [e.value for e in iterated.elements if isinstance(e, cst.Element) and isinstance(e.value, cst.SimpleString)]
    if len(names) != len(iterated.elements) or len(names) < 2 or "train" not in {n.evaluated_value for n in names}:
        return None
    return names


def _goes_on_after_the_batches(loop: cst.For) -> bool:
    """A statement after the one that trains reads what it computed (`epoch_loss = running_loss / n`)."""
    body = list(loop.body.body)  # type: ignore[union-attr]
    training = next((i for i, s in enumerate(body) if receivers(s, "backward")), None)
    if training is None:
        return False
    before = writes(*body[: training + 1])
    return bool(before & reads(*body[training + 1 :]))
