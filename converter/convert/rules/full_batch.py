"""A function that trains on the whole data set per call (graph networks: one forward over the whole graph, no
batch loop): its body becomes training_step over a one-batch loader (`[0]`, see plan.ONE_BATCH).

The plan (plan.py) finds it; a backward that is in no loop, closure or function called in one is declined
(T2L908).
"""

from __future__ import annotations

CODES = {
    "T2L128": "a function that trains on the whole data set per call -> training_step over a one-batch DataLoader",
    "T2L908": "training loop shape not recognised",
}
NOT_A_LOOP = "T2L908"


def report(conv) -> bool:
    """True (and reported) when the training step is a whole-data-set function."""
    if conv.plan.whole_batch is None:
        return False
    conv.report.add("T2L128", conv.plan.line(conv.plan.whole_batch))
    return True
