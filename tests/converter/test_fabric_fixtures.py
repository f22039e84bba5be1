"""`t2l convert --to fabric` on every whole-script fixture, the shapes the LightningModule route declines included.

The inputs are the converter's fixtures (`fixtures/<name>.in.py`, written in the shapes of public scripts) and a
few shapes only this route takes (`fabric_fixtures/<name>.in.py`: Lightning's meta-learning twin, DDP by hand);
the expected Fabric outputs live in `fabric_fixtures/<name>.out.py`. Every script with a training loop converts
(none is declined), the output is left alone when converted again, and each runs offline and is bitwise equal
to its input under `--verify`. Verifying every fixture takes minutes: the shapes the LightningModule route
declines run in the default suite, the rest are `slow`. Regenerate the expected outputs after a deliberate change
with `T2L_UPDATE_FIXTURES=1 pytest tests/converter/test_fabric_fixtures.py`, then read the diff.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path

import pytest
from filelock import FileLock

from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from converter.report import ALREADY_LIGHTNING, CONVERTED, CONVERTED_WITH_TODOS, DECLINED
from converter.verify import verify
from tests.converter.fixtures import discover, named, remember, verify_key

EXPECTED = Path(__file__).parent / "fabric_fixtures"
FIXTURES = discover() + discover(EXPECTED)  # the converter's fixtures, and shapes only the Fabric route takes
UPDATE = os.environ.get("T2L_UPDATE_FIXTURES") == "1"
STAND_INS = Path(__file__).parents[1] / "stand_ins"  # a test-only torchvision: real scripts import it


def expected(fixture) -> Path:
    return EXPECTED / f"{fixture.name}.out.py"


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_every_loop_converts_to_the_expected_fabric_script(fixture):
    output, report = convert_to_fabric(fixture.input.read_text(), fixture.input.name)
    assert report.status in (CONVERTED, CONVERTED_WITH_TODOS), (report.status, report.error)
    assert output is not None
    if UPDATE:
        expected(fixture).write_text(output)
    assert output == expected(fixture).read_text()
    compile(output, fixture.name, "exec")


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_a_fabric_script_is_left_alone(fixture):
    _, report = convert_to_fabric(expected(fixture).read_text(), fixture.name)
    assert report.status == ALREADY_LIGHTNING


def _declined_by_the_lightning_route(fixture) -> bool:
    return fixture.name.startswith("unsupported_") or fixture.input.parent == EXPECTED


# Each DDP verify runs four or five processes (tens of seconds on two cores, with the machine's noise on top): the
# DDP fixtures and their negative controls are `slow`; .ci/run's slow step runs them right after the default command.
def _in_the_default_suite(fixture) -> bool:
    return not fixture.name.startswith("ddp_") and _declined_by_the_lightning_route(fixture)


@pytest.fixture
def one_at_a_time(tmp_path_factory):
    """The DDP spawn fixtures bind the port their tutorial hard-codes (`MASTER_PORT = "12355"`): two runs of one of
    them on the two xdist workers at once would both bind it (EADDRINUSE, seen once in .ci/run's slow step). A lock
    per fixture, in the run's directory the workers share."""
    shared = tmp_path_factory.getbasetemp().parent
    return lambda fixture: FileLock(str(shared / f"{fixture.name}.lock")) if fixture.name.startswith("ddp_") else nullcontext()


@pytest.mark.parametrize("fixture", [
    pytest.param(f, marks=() if _in_the_default_suite(f) else pytest.mark.slow) for f in FIXTURES
], ids=str)  # fmt: skip
def test_verify_is_bitwise_equal(fixture, tmp_path, monkeypatch, one_at_a_time):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(STAND_INS), os.environ.get("PYTHONPATH", "")]))  # torchvision
    with one_at_a_time(fixture):
        result = verify(fixture.input, expected(fixture), list(fixture.args), steps=fixture.steps or 10, cwd=tmp_path,
                        torchrun=fixture.torchrun)  # fmt: skip
    remember(result, verify_key(fixture.input, expected(fixture).read_text(), list(fixture.args), fixture.steps or 10,
                                fixture.torchrun))  # the gallery's verdict
    assert result.failed is None, result.converted.stderr_tail + result.original.stderr_tail
    assert result.compared > 0
    assert result.bitwise_equal, (result.max_abs_diff, result.first_difference)
    assert result.initial_weights_equal is not False  # the report would say "different" beside equal losses
    assert result.printed_different == []  # the loop is kept: every line it printed, the original printed
    if fixture.name.startswith("ddp_"):  # two processes train on each side: both ranks' losses are compared
        assert result.original.ranks == result.converted.ranks == 2 and result.compared >= 2 * (fixture.steps or 10)


def test_the_functional_call_fact_t2l308_relies_on():
    """torch.func.functional_call puts a bare module's parameters back, but not a Fabric-wrapped one's: the wrapper
    reaches the module by two paths and only one is restored (pytorch/pytorch#164759). When this starts failing,
    torch has fixed it and T2L308 (the model left bare) can go."""
    import torch
    from lightning_fabric import Fabric
    from torch.func import functional_call

    model = torch.nn.Linear(4, 2)
    weight, x = model.weight, torch.randn(3, 4)
    inputs = {name: p * 1.0 for name, p in model.named_parameters()}
    functional_call(model, inputs, (x,))
    assert model.weight is weight  # bare: restored
    wrapped = Fabric(accelerator="cpu", devices=1).setup_module(model)
    functional_call(wrapped, {name: p * 1.0 for name, p in wrapped.named_parameters()}, (x,))
    assert model.weight is not weight and not model.weight.is_leaf  # wrapped: left replaced by the input


ONLY_FABRIC = [f for f in discover(EXPECTED) if not f.name.startswith(("ddp_", "maml_"))]


@pytest.mark.parametrize("fixture", ONLY_FABRIC, ids=str)
def test_the_lightning_route_declines_the_shapes_only_fabric_takes(fixture):
    """PPO's epochs over each rollout. (k-fold, a Trainer per fold, converts: fixtures/kfold_cross_validation. DDP by
    hand, `ddp_*`, converts or declines with each piece marked, T2L917; Fabric takes the processes over. MAML's
    meta-batch of tasks, a backward each and one step, converts as micro-batches: test_maml_converts_as_micro_batches.)"""
    _, report = convert_source(fixture.input.read_text(), fixture.input.name)
    assert report.status == DECLINED, report.status


@pytest.mark.slow  # five processes: in the slow step with the other DDP runs
def test_negative_control_ddp_verifies_because_fabric_wraps_the_model(tmp_path, one_at_a_time):
    """ddp_spawn_trainer_class's Fabric output with the model left bare (the optimizer set up alone, the wrapper
    already gone: nothing averages the gradients) must fail --verify: the bitwise pass over both ranks comes from
    Fabric's DistributedDataParallel, not from the processes happening to agree."""
    fixture = next(f for f in FIXTURES if f.name == "ddp_spawn_trainer_class")
    output = expected(fixture).read_text()
    setup = "model, optimizer = fabric.setup(model, optimizer)"
    assert setup in output and "DDP(" not in output and "import DistributedDataParallel" not in output
    broken = tmp_path / "bare_model.py"
    broken.write_text(output.replace(setup, "optimizer = fabric.setup_optimizers(optimizer)"))
    with one_at_a_time(fixture):
        result = verify(fixture.input, broken, list(fixture.args), steps=4, cwd=tmp_path)  # the first epoch's steps:
    assert result.failed is None, result.converted.stderr_tail  # its checkpoint reads `.module`, a wrapper's
    assert result.compared == 2 * 4
    assert not result.bitwise_equal and result.first_difference == 1  # the same first step, then apart


@pytest.mark.slow
def test_a_ddp_flag_script_also_verifies_in_one_process(tmp_path):
    """nanoGPT's shape runs without torchrun too (`ddp` off: one process, no group): its Fabric output, whose
    Fabric object is made on one device then, is bitwise equal to it there as well."""
    fixture = next(f for f in FIXTURES if f.name == "ddp_nanogpt_micro_steps")
    result = verify(fixture.input, expected(fixture), [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is None, result.converted.stderr_tail
    assert result.compared == 4 * fixture.steps and result.bitwise_equal  # one process, four micro-steps a step


@pytest.mark.slow  # torchrun and four processes: in the slow step with the other DDP runs
def test_negative_control_the_gradient_sync_is_what_keeps_micro_steps_bitwise(tmp_path):
    """The same output with the sync left on for every micro-step (what setting `require_backward_grad_sync` on the
    Fabric wrapper would do) must fail --verify under torchrun: averaging each micro-step's gradients and adding
    them up is not the same sum as averaging their total once."""
    fixture = next(f for f in FIXTURES if f.name == "ddp_nanogpt_micro_steps")
    output = expected(fixture).read_text()
    sync = "enabled=micro_step != gradient_accumulation_steps - 1"
    assert sync in output
    broken = tmp_path / "sync_every_micro_step.py"
    broken.write_text(output.replace(sync, "enabled=False"))
    result = verify(fixture.input, broken, [], steps=fixture.steps, cwd=tmp_path, torchrun=fixture.torchrun)
    assert result.failed is None, result.converted.stderr_tail
    assert not result.bitwise_equal and result.first_difference is not None


def test_negative_control_the_precision_keyword_is_what_keeps_bf16_bitwise(tmp_path):
    """amp_bf16_autocast_flag trains in real bf16 on the CPU. Its Fabric output without `precision=` (fabric.autocast()
    then does nothing) must fail --verify: the bitwise pass above comes from the precision rule, not from bf16 and
    float32 happening to agree."""
    name = "amp_bf16_autocast_flag"
    fixture = next(f for f in FIXTURES if f.name == name)
    output = expected(fixture).read_text()
    keyword = ', precision="bf16-mixed" if use_amp else "32-true"'
    assert keyword in output
    float32 = tmp_path / f"{name}_float32.py"
    float32.write_text(output.replace(keyword, ""))
    result = verify(fixture.input, float32, list(fixture.args), steps=fixture.steps or 10, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal


STARTED_TOGETHER = {  # fixture -> the two loaders it starts together, which the Fabric route leaves bare (T2L325)
    "semi_supervised_zip_of_loaders": "labeled, unlabeled",  # zipped in the loop header
    "fixmatch_unlabeled_batches_fetched_in_the_step": "labeled_loader, unlabeled_loader",  # iter() beside a loop's
    "consistency_term_on_a_cycled_auxiliary_loader": "labeled, aux",  # zip(labeled, cycle(aux))
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(STARTED_TOGETHER))
def test_negative_control_loaders_started_together_set_up_shuffle_differently(name, tmp_path):
    """Set up, each loader would start its DataLoader iterator at its first batch (not at `zip` or `iter()`), drawing
    the shuffle seeds from torch's RNG in another order than the script: --verify must then fail, from the first loss."""
    fixture = next(f for f in FIXTURES if f.name == name)
    output = expected(fixture).read_text()
    assert "setup_dataloaders" not in output
    loaders = STARTED_TOGETHER[name]
    set_up = tmp_path / f"{name}_set_up.py"
    set_up.write_text(output.replace("\nmodel = ", f"\n{loaders} = fabric.setup_dataloaders({loaders})\nmodel = ", 1))
    result = verify(fixture.input, set_up, list(fixture.args), steps=fixture.steps or 10, cwd=tmp_path)
    assert result.failed is None and result.compared > 0
    assert not result.bitwise_equal and result.first_difference == 0


def test_what_is_built_before_the_fabric_object_is_set_up_after_its_lines():
    """The Hugging Face course builds the model, its optimizer and the loaders, then chooses `device`, where the Fabric
    object is made: they were left bare, marked T2L941 ("set it up by hand"); now they are set up right after the
    Fabric lines (T2L328), and the batches' own moves go."""
    fixture = named("hf_course_full_training_device_chosen_late")
    output, report = convert_to_fabric(fixture.input.read_text(), fixture.input.name)
    lines = output.splitlines()
    launch = lines.index("fabric.launch()")
    assert lines[launch + 1 : launch + 4] == ["model, optimizer = fabric.setup(model, optimizer)",
                                              "train_dataloader = fabric.setup_dataloaders(train_dataloader)",
                                              "eval_dataloader = fabric.setup_dataloaders(eval_dataloader)"]  # fmt: skip
    assert "T2L328" in {f.code for f in report.findings} and not report.todos


@pytest.mark.slow  # a verify run
def test_negative_control_the_set_up_before_the_fabric_lines_fails(tmp_path):
    """What the first try at it wrote: the set-up lines placed before the Fabric object they call."""
    fixture = named("hf_course_full_training_device_chosen_late")
    output = expected(fixture).read_text()
    fabric_lines = 'fabric = Fabric(accelerator=torch.device(device).type, devices=1)\nfabric.launch()\n'
    assert fabric_lines in output
    broken = tmp_path / "set_up_first.py"
    setups = output.split(fabric_lines, 1)[1].split("model.to(device)", 1)[0]
    broken.write_text(output.replace(fabric_lines + setups, setups + fabric_lines))
    result = verify(fixture.input, broken, [], steps=fixture.steps, cwd=tmp_path)
    assert result.failed is not None and "NameError" in result.failed
