"""A `for it in range(max_iters):` step loop that fetches its own batch (`get_batch("train")`).

The range is the train loader: one training step per value, no seed drawn, nothing prefetched that draws random
numbers, and the fetch stays in training_step exactly where the loop made it (T2L130). So is `itertools.count(1)`
(the pytorch/examples regression shape), endless as it was: a break that ends the training stops it (breaks). Other step loops that
fetch by hand (a `while` with a prefetch, a loop over a counter) are declined with what to do (T2L910).
"""

from __future__ import annotations

import libcst as cst

from converter.convert import plan as planning
from converter.names import reads, writes

CODES = {
    "T2L130": "a `for i in range(n)` (or `itertools.count()`) step loop that fetches its batches -> the range is the train loader",
    "T2L910": "a step loop that fetches batches by hand instead of iterating a DataLoader",
}


def decline(conv) -> str | None:
    plan = conv.plan
    if not planning.is_step_loop(plan.batch_loop, plan.imports):
        return None
    loop = plan.batch_loop
    counter = plan.imports.call_name(loop.iter) if isinstance(loop, cst.For) else None
    if isinstance(loop, cst.For) and counter in ("range", "itertools.count") and isinstance(loop.target, cst.Name):
        if reader := _reads_as_a_global(plan, loop.target.value):
            return conv.unsupported(loop, "T2L910", f"`{reader}()` reads the step variable `{loop.target.value}` as a "
                                    "global; converted, it would be training_step's parameter and the global would "
                                    "not change: pass it as an argument and convert again")  # fmt: skip
        conv.report.add("T2L130", plan.line(loop), f"`for {loop.target.value} in {counter.split('.')[-1]}(...)` step "
                        "loop -> it is the train loader; the batch fetch stays in training_step")  # fmt: skip
        return None
    return conv.unsupported(loop, "T2L910", "batches fetched by hand in a step loop; wrap the fetch in an "
                            "IterableDataset whose __iter__ yields it, loop over that, and convert again")  # fmt: skip


def _reads_as_a_global(plan, name: str) -> str | None:
    """The first function that reads `name` without binding it (a parameter or an assignment)."""
    for function in plan.index.of_kind(cst.FunctionDef):
        params = function.params
        bound = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
        if name not in bound and name in reads(function.body) and name not in writes(function.body):
            return function.name.value
    return None
