"""tqdm progress bars around and inside the loops: removed, Lightning draws its own progress bar."""

from __future__ import annotations

import libcst as cst

from converter.convert import loops
from converter.convert.step import NO_MATCH

CODES = {"T2L114": "tqdm progress bar -> Lightning's progress bar"}
TQDM = {*loops.TQDM, "tqdm.trange"}


def on_call(step, line, call, owner, method):
    if owner not in step.ctx.progress_bars:
        return NO_MATCH
    step.report.add("T2L114", step.line)  # pbar.set_postfix(...), pbar.update(), pbar.close()
    return None


def on_assign(step, line, assign: cst.Assign):
    if not (isinstance(assign.value, cst.Call) and step.calls(assign.value, TQDM)):
        return NO_MATCH
    step.report.add("T2L114", step.line)
    return None


def on_for(step, original: cst.For, updated: cst.For):
    call = updated.iter
    if isinstance(call, cst.Call) and step.calls(call, TQDM) and call.args:
        step.report.add("T2L114", step.at(original))
        return updated.with_changes(iter=call.args[0].value)
    return NO_MATCH
