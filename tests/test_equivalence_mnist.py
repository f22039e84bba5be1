"""The proof for the MNIST pair: bitwise-identical losses and weights, and negative controls that break it."""

from __future__ import annotations

import pytest
import torch

from conftest import mutated_fit
from pairs.record import compare


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from pairs.harness import config_for, quiet_lightning, run_side
    from pairs.registry import get

    quiet_lightning()
    pair = get("mnist_mlp")
    config = config_for(pair, epochs=2, root_dir=tmp_path_factory.mktemp("runs"))
    return {side: run_side(pair, side, config) for side in ("plain", "lightning")}


def test_two_epochs_bitwise_equal(reference):
    plain, lightning = reference["plain"], reference["lightning"]
    comparison = compare(plain, lightning)
    assert comparison.bitwise_equal
    steps = len(plain.series["train/loss"])
    assert steps == 2 * 63 and comparison.steps_compared == steps  # 4,000 digits / 64 = 63 batches a run
    assert plain.series["train/loss"] == lightning.series["train/loss"]
    assert plain.series["val/loss"] == lightning.series["val/loss"] and len(plain.series["val/loss"]) == 2 * 8
    assert plain.state_dict.keys() == lightning.state_dict.keys()
    assert all(torch.equal(plain.state_dict[k], lightning.state_dict[k]) for k in plain.state_dict)
    assert plain.epochs == lightning.epochs and len(plain.epochs) == 2
    # Training did something: the loss fell and the classifier is far better than chance.
    assert plain.series["train/loss"][-1] < plain.series["train/loss"][0] / 3
    assert plain.epochs[-1]["val_acc"] > 0.8


def test_negative_control_plain_without_zero_grad(run, reference):
    broken = mutated_fit("mnist_mlp", "plain", "optimizer.zero_grad()", "pass  # gradients accumulate")
    comparison = compare(run("mnist_mlp", "plain", fit=broken, epochs=2), reference["lightning"])
    assert not comparison.bitwise_equal
    train = next(s for s in comparison.series if s.name == "train/loss")
    # Step 0's update has no stale gradient, so the losses of steps 0 and 1 (computed before step 1's
    # update) still agree; from step 2 on, accumulated gradients make every loss differ.
    assert train.identical == 2 and train.max_abs_diff > 1e-3


def test_negative_control_different_seed(run, reference):
    comparison = compare(run("mnist_mlp", "plain", epochs=2, seed=43), reference["lightning"])
    assert not comparison.bitwise_equal
    assert comparison.weights_identical == 0


def test_negative_control_extra_rng_draw_shifts_the_shuffle(run, reference):
    """One extra draw from the global RNG after seeding (e.g. an iterator made too early) changes the order."""
    broken = mutated_fit(
        "mnist_mlp",
        "plain",
        "    optimizer = configure_optimizer(model)\n",
        "    optimizer = configure_optimizer(model)\n    iter(val_loader)\n",
    )
    comparison = compare(run("mnist_mlp", "plain", fit=broken, epochs=2), reference["lightning"])
    train = next(s for s in comparison.series if s.name == "train/loss")
    assert train.identical < 3 and not comparison.bitwise_equal


def test_max_steps_mid_epoch_is_equal_and_skips_that_validation(run):
    plain, lightning = (run("mnist_mlp", side, max_steps=100) for side in ("plain", "lightning"))
    assert compare(plain, lightning).bitwise_equal
    assert len(plain.series["train/loss"]) == 100
    assert len(plain.epochs) == 1  # epoch 2 was cut short at step 100 and, as in Lightning, not validated


def test_thread_count_is_part_of_the_contract(run):
    """Both sides pinned to 2 threads are still identical to each other."""
    plain, lightning = (run("mnist_mlp", side, epochs=1, threads=2) for side in ("plain", "lightning"))
    assert compare(plain, lightning).bitwise_equal
