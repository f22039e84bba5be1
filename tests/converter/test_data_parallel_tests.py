"""`net = nn.DataParallel(net)` when a GPU is there, and the state saved through the wrapper when there is one
(`net.module.state_dict() if isinstance(net, nn.DataParallel) else net.state_dict()`, the kuangliu/pytorch-cifar
shape): the Lightning route kept the wrapper with a T2L917 TODO, since `.module` was read outside the one test form
it knew (`model.module if ... else model`); the Fabric route took the isinstance test for a use of the model object
and left the model bare (no DDP sync, no precision). A read of `.module` anywhere under a test for the wrapper (an
`if` or a conditional expression) lets both routes take the wrapper away: without it the test is false, as it was on
one device."""

from __future__ import annotations

from pathlib import Path

from converter.convert import convert_source
from converter.fabric import convert_to_fabric

RULES = Path(__file__).parent / "rules"
LIGHTNING = (RULES / "convert" / "data_parallel" / "state_taken_through_module_when_wrapped.in.py").read_text()
FABRIC = (RULES / "fabric" / "ddp_wrapper" / "data_parallel_tested_where_the_state_is_saved.in.py").read_text()
GUARDED = "state = model.module.state_dict() if isinstance(model, nn.DataParallel) else model.state_dict()"


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def test_the_lightning_route_takes_the_wrapper_away():
    output, report = convert_source(LIGHTNING)
    assert "DataParallel(model)" not in output and "T2L147" in codes(report) and not report.todos
    assert "torch.backends.cudnn.benchmark = True" in output  # the rest of the `if` stays


def test_an_unguarded_module_read_keeps_the_wrapper_marked():
    assert GUARDED in LIGHTNING
    output, report = convert_source(LIGHTNING.replace(GUARDED, "state = model.module.state_dict()"))
    assert "nn.DataParallel(model)" in output and "T2L917" in codes(report)


def test_the_fabric_route_sets_the_model_up_and_takes_the_wrapper_away():
    output, report = convert_to_fabric(FABRIC)
    assert "model, optimizer = fabric.setup(model, optimizer)" in output and "DataParallel(model)" not in output
    assert {"T2L327", "T2L303"} <= codes(report) and "T2L309" not in codes(report)


def test_a_test_for_a_wrapper_that_stays_keeps_the_model_bare():
    """Wrapped into another name, the wrapper is not taken away: the isinstance test would change its answer."""
    source = FABRIC.replace("    model = nn.DataParallel(model)\n", "    model = nn.DataParallel(model, device_ids=[0]).cuda()\n")
    assert source != FABRIC
    output, report = convert_to_fabric(source)
    assert "fabric.setup(model, optimizer)" not in output and "T2L309" in codes(report)
