"""`--to fabric` on a model trained by updates written by hand, with no optimizer (pytorch/examples'
word_language_model: `for p in model.parameters(): p.data.add_(p.grad, alpha=-lr)`): the model was never set up
and nothing was reported, right on one device, but under `devices=2` each process trained its own copy. It is now
set up where it is built (`fabric.setup_module`, T2L335); one the script pickles whole stays bare, reported (T2L336).
Proved under real DDP (gloo, two CPU processes, a batch of its own each): the weights end equal on both ranks, and
without the set-up (the control) they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.fabric import convert_to_fabric
from tests.converter.ddp_runs import DIVERGED, SYNCED, rank_verdicts

CASES = Path(__file__).parent / "rules" / "fabric" / "hand_updates"
BUILT = (CASES / "model_updated_by_hand_set_up_where_built.in.py").read_text()
PICKLED = (CASES / "model_pickled_whole_stays_bare.in.py").read_text()
SET_UP = "model = fabric.setup_module(model)\n"


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def test_the_model_is_set_up_where_it_is_built():
    output, report = convert_to_fabric(BUILT)
    built = "model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))\n"
    assert built + SET_UP in output and "p.data.add_(p.grad, alpha=-lr)" in output  # the update itself stays
    assert "T2L335" in codes(report)


def test_a_model_pickled_whole_stays_bare_and_is_reported():
    output, report = convert_to_fabric(PICKLED)
    assert "setup_module" not in output and "T2L336" in codes(report) and "T2L335" not in codes(report)


def test_a_loop_that_only_reads_the_gradients_sets_nothing_up():
    source = BUILT.replace("p.data.add_(p.grad, alpha=-lr)", "print(p.grad.norm())")
    assert source != BUILT and "setup_module" not in convert_to_fabric(source)[0]


@pytest.mark.slow  # two DDP runs of two processes (about 30 s)
def test_the_model_stays_in_sync_under_ddp_and_a_bare_one_does_not(tmp_path):
    # each rank draws its own batches: torch.randn after Fabric seeded nothing, so the ranks' data differ
    output, _ = convert_to_fabric(BUILT)
    seeded = output.replace("fabric.launch()\n", "fabric.launch()\ntorch.manual_seed(fabric.global_rank)\n")
    assert rank_verdicts(tmp_path, seeded, ["model"]) == SYNCED
    assert rank_verdicts(tmp_path, seeded.replace(SET_UP, ""), ["model"]) == DIVERGED
