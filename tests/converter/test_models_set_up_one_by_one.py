"""`--to fabric` on one optimizer over several models' parameters (CycleGAN's `Adam(itertools.chain(G_AB.parameters(),
G_BA.parameters()))`, a PPO actor and critic, a trunk and its heads): only the optimizer was set up, the models left
bare, which is right on one device but, once `devices=` is raised, leaves each process training its own copy (no
gradient sync). Each model is now set up with `fabric.setup_module`, then the optimizer (T2L334). Proved under real
DDP (gloo, two CPU processes, a shard of the data each): the models' weights end equal on both ranks, and without the
set-up (the control) they differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.fabric import convert_to_fabric
from tests.converter.ddp_runs import DIVERGED, SYNCED, rank_verdicts

CASE = Path(__file__).parent / "rules" / "fabric" / "setup" / "one_optimizer_over_two_models_chained"
MODELS = ["forward_net", "backward_net"]
SET_UP = "forward_net = fabric.setup_module(forward_net)\nbackward_net = fabric.setup_module(backward_net)\n"


def test_each_model_is_set_up_before_the_optimizer():
    output, report = convert_to_fabric(CASE.with_suffix(".in.py").read_text())
    assert SET_UP + "optimizer = fabric.setup_optimizers(optimizer)\n" in output
    assert "T2L334" in {f.code for f in report.findings} and "T2L304" not in {f.code for f in report.findings}


def test_a_model_held_by_an_object_is_not_set_up_one_by_one():
    source = CASE.with_suffix(".in.py").read_text()
    dotted = source.replace("forward_net.parameters()", "nets.forward.parameters()")
    output, report = convert_to_fabric(dotted.replace("forward_net, backward_net =", "nets = type('N', (), {})()\nnets.forward = torch.nn.Linear(6, 6)\nforward_net, backward_net ="))
    assert "setup_module" not in output and "T2L304" in {f.code for f in report.findings}


@pytest.mark.slow  # two DDP runs of two processes (about 30 s)
def test_the_models_stay_in_sync_under_ddp_and_bare_ones_do_not(tmp_path):
    output, _ = convert_to_fabric(CASE.with_suffix(".in.py").read_text())
    assert rank_verdicts(tmp_path, output, MODELS) == SYNCED
    assert SET_UP in output
    assert rank_verdicts(tmp_path, output.replace(SET_UP, ""), MODELS) == DIVERGED
