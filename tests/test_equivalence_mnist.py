"""The proof for the MNIST pair: bitwise-identical losses and weights, and negative controls that break it."""

from __future__ import annotations

import pytest
import torch

from pairs.harness.record import compare
from tests.conftest import edited, run_sides


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return run_sides("mnist_mlp", tmp_path_factory.mktemp("runs"), epochs=2)


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


def test_fabric_side_is_bitwise_equal_to_plain(reference):
    """fabric.py: plain.py's loop with Fabric's setup, backward, loaders and autocast; the same values."""
    comparison = compare(reference["plain"], reference["fabric"])
    assert comparison.bitwise_equal and comparison.steps_compared == 2 * 63 and comparison.weights_identical == 6


def test_negative_control_plain_without_zero_grad(run, reference, tmp_path):
    broken = edited("mnist_mlp", "plain", "optimizer.zero_grad()", "pass  # gradients accumulate", tmp_path)
    comparison = compare(run("mnist_mlp", "plain", source=broken, epochs=2), reference["lightning"])
    assert not comparison.bitwise_equal
    train = next(s for s in comparison.series if s.name == "train/loss")
    # Step 0's update has no stale gradient, so the losses of steps 0 and 1 (computed before step 1's
    # update) still agree; from step 2 on, accumulated gradients make every loss differ.
    assert train.identical == 2 and train.max_abs_diff > 1e-3


def test_negative_control_different_seed(run, reference, tmp_path):
    comparison = compare(run("mnist_mlp", "plain", epochs=2, seed=43), reference["lightning"])
    assert not comparison.bitwise_equal
    assert comparison.weights_identical == 0


def test_negative_control_extra_rng_draw_shifts_the_shuffle(run, reference, tmp_path):
    """One extra draw from the global RNG after seeding (e.g. an iterator made too early) changes the order."""
    broken = edited(
        "mnist_mlp",
        "plain",
        "    optimizer = configure_optimizers(model)\n",
        "    optimizer = configure_optimizers(model)\n    iter(val_loader)\n",
        tmp_path,
    )
    comparison = compare(run("mnist_mlp", "plain", source=broken, epochs=2), reference["lightning"])
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


def test_negative_control_different_thread_count(run, reference, tmp_path):
    """Threads change how float sums are split: 2 threads vs 1 differs in the last bits, and training carries
    the difference on (after 2 epochs it has been seen from 1e-4 to 7e-3, depending on the machine's load)."""
    two_threads = run("mnist_mlp", "plain", epochs=2, threads=2)
    assert not compare(two_threads, reference["lightning"]).bitwise_equal
    pairs = zip(two_threads.series["train/loss"], reference["lightning"].series["train/loss"])
    first = next(abs(a - b) for a, b in pairs if a != b)
    assert 0 < first < 1e-5  # where they part: the last bits of a float32 loss near 2.3


def test_rng_facts_the_pair_readme_relies_on():
    """The DataLoader RNG facts written in pairs/mnist_mlp/README.md, checked on the installed torch."""
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.arange(8.0)), batch_size=4, shuffle=True)
    torch.manual_seed(0)
    state = torch.get_rng_state()
    iterator = iter(loader)
    assert not torch.equal(state, torch.get_rng_state())  # creating an iterator draws (its base seed)
    state = torch.get_rng_state()
    next(iterator)
    assert not torch.equal(state, torch.get_rng_state())  # the first batch draws the shuffle seed

    # With an explicit generator, exhausting the loader (what a `for` loop does) draws one more
    # permutation than taking len(loader) batches (what Lightning does) when the batch size divides
    # the data size; otherwise the two agree.
    def generator_state_after(n_items: int, exhaust: bool) -> torch.Tensor:
        generator = torch.Generator().manual_seed(0)
        loader = DataLoader(
            TensorDataset(torch.arange(float(n_items))), batch_size=4, shuffle=True, generator=generator
        )
        iterator = iter(loader)
        for _ in range(len(loader)):
            next(iterator)
        if exhaust:
            next(iterator, None)
        return generator.get_state()

    assert not torch.equal(generator_state_after(8, exhaust=True), generator_state_after(8, exhaust=False))
    assert torch.equal(generator_state_after(7, exhaust=True), generator_state_after(7, exhaust=False))
