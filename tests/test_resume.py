"""Crash and resume: SIGKILL mid-epoch, resume from the checkpoint, bitwise equal to an uninterrupted run.

For every pair and side (2 epochs: a checkpoint after epoch 1, the kill halfway through epoch 2), a control
showing the RNG state in the checkpoint is what makes it exact, and damaged-checkpoint handling.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
import torch

from pairs import checkpoints, checkpoints_lightning
from pairs.checkpoints import CheckpointError
from pairs.harness.cli import main
from pairs.harness.record import compare
from pairs.harness.registry import PAIRS, SIDES, get
from pairs.harness.resume import crash, kill_step, resume_test, tail_of
from pairs.harness.run import config_for, run_side
from pairs.mnist_mlp.plain import load_checkpoint, save_checkpoint
from tests.conftest import edited


# seq2seq's three resumes take about 90 s of the default command's 2-core budget: `slow` (.ci/run's slow step runs them)
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("pair_name", [pytest.param(p, marks=pytest.mark.slow) if p == "seq2seq" else p for p in PAIRS])
def test_resume_after_sigkill_is_bitwise_equal(pair_name, side, tmp_path):
    pair = get(pair_name)
    outcome = resume_test(pair, side, config_for(pair, epochs=2, root_dir=tmp_path))
    assert outcome.killed_after_step == outcome.steps_per_epoch + outcome.steps_per_epoch // 2  # mid-epoch 2
    assert outcome.resumed_from_step == outcome.steps_per_epoch  # from the epoch-1 checkpoint, not from scratch
    assert outcome.comparison.steps_compared == outcome.steps_per_epoch  # the whole of epoch 2 was compared
    assert outcome.bitwise_equal, [s for s in outcome.comparison.series if not s.equal]


@pytest.mark.parametrize("side", SIDES)
def test_control_without_the_rng_state_the_resumed_run_differs(side, tmp_path, monkeypatch):
    """Resume everything but the random state: plain.py or fabric.py without its set_rng_state line; on the Lightning side,
    our RandomState callback restoring nothing."""
    source = None
    if side != "lightning":
        source = edited("mnist_mlp", side, 'torch.set_rng_state(state["rng"])', "pass", tmp_path)
    else:
        monkeypatch.setattr(checkpoints_lightning, "restore_rng_states", lambda states: None)
    pair = get("mnist_mlp")
    outcome = resume_test(pair, side, config_for(pair, epochs=2, root_dir=tmp_path), source=source)
    assert outcome.resumed_from_step == outcome.steps_per_epoch
    loss = next(s for s in outcome.comparison.series if s.name == "train/loss")
    assert loss.identical < loss.compared  # a different shuffle of epoch 2


# --- damaged checkpoints (MNIST, 3 epochs: checkpoints after epochs 1 and 2, killed in epoch 3) ---------------
@pytest.fixture(scope="module", params=SIDES)
def crashed(request, tmp_path_factory):
    """(side, config of the crashed run, uninterrupted result): one crash per side, shared by the tests."""
    side = request.param
    pair = get("mnist_mlp")
    root = tmp_path_factory.mktemp(f"crashed-{side}")
    config = config_for(pair, epochs=3, checkpoint=True, root_dir=root / "crashed")
    full = run_side(pair, side, dataclasses.replace(config, root_dir=root / "full"))
    steps = len(full.series["train/loss"]) // 3
    crash(pair, side, config, kill_step(steps, 3))
    return side, config, full, steps


def _copy(config, tmp_path):
    shutil.copytree(config.root_dir, tmp_path / "run")
    return dataclasses.replace(config, root_dir=tmp_path / "run", resume=True)


def _newest(side, config):
    directory = config.root_dir / "mnist_mlp" / side / "checkpoints"
    return directory / ("last.ckpt" if side == "lightning" else "last.pt")


def truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 4096] = b"\x00" * 4096
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate, corrupt], ids=["truncated", "corrupted"])
def test_damaged_newest_checkpoint_falls_back_to_the_previous_good_one(crashed, damage, tmp_path, capsys):
    side, config, full, steps = crashed
    resumed_config = _copy(config, tmp_path)
    damage(_newest(side, resumed_config))
    resumed = run_side(get("mnist_mlp"), side, resumed_config)
    out = capsys.readouterr().out
    assert f"{_newest(side, resumed_config)}: unreadable checkpoint" in out  # names the file, says why
    assert len(resumed.series["train/loss"]) in (steps, 2 * steps)  # from the previous good checkpoint
    if side != "lightning":
        assert len(resumed.series["train/loss"]) == 2 * steps  # previous.pt: the epoch-1 checkpoint
    assert compare(tail_of(full, resumed), resumed).bitwise_equal  # nothing lost: the same final result


def test_no_readable_checkpoint_is_a_clear_error(crashed, tmp_path):
    side, config, _, _ = crashed
    resumed_config = _copy(config, tmp_path)
    directory = _newest(side, resumed_config).parent
    for path in directory.iterdir():
        truncate(path)
    with pytest.raises(CheckpointError, match="no readable checkpoint") as error:
        run_side(get("mnist_mlp"), side, resumed_config)
    assert str(directory) in str(error.value)


def test_plain_checkpoints_load_with_weights_only_and_reject_code(crashed, tmp_path):
    side, config, _, _ = crashed
    newest = _newest(side, config)
    torch.load(newest, weights_only=True)  # both sides' formats hold only tensors and plain containers
    if side == "plain":
        torch.save(checkpoints.seal({"model": {}, "payload": print}), tmp_path / "last.pt")  # names a callable
        with pytest.raises(CheckpointError, match="last.pt: unreadable checkpoint"):
            load_checkpoint(tmp_path)  # plain.py's own loader: torch.load(..., weights_only=True)


def test_atomic_save_keeps_the_previous_checkpoint(tmp_path):
    save_checkpoint(tmp_path, {"model": {"w": torch.zeros(2)}, "epoch": 1})
    save_checkpoint(tmp_path, {"model": {"w": torch.ones(2)}, "epoch": 2})
    assert load_checkpoint(tmp_path)["epoch"] == 2
    (tmp_path / "last.pt").unlink()
    assert load_checkpoint(tmp_path)["epoch"] == 1  # previous.pt: the one before
    assert [p.name for p in tmp_path.iterdir()] == ["previous.pt"]  # no temporary left behind


def test_cli_resume_test_reports_every_side(tmp_path, capsys):
    report = tmp_path / "resume.json"
    assert main(["check", "mnist_mlp", "--resume-test", "--epochs", "2", "--root-dir", str(tmp_path),
                 "--json", str(report)]) == 0  # fmt: skip
    result = json.loads(report.read_text())
    assert result["bitwise_equal"] and [r["side"] for r in result["runs"]] == ["plain", "fabric", "lightning"]
    assert all(r["resumed_from_step"] == r["steps_per_epoch"] for r in result["runs"])
    assert "bitwise equal" in capsys.readouterr().out
