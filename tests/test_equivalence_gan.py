"""The proof for the GAN pair: both optimizers' losses, validation losses, weights and sample PNGs identical."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from pairs.harness.record import compare
from tests.conftest import edited, run_sides

D_STEP = """    d_opt.zero_grad()
    d_loss = adversarial_loss(discriminator(real), True) + adversarial_loss(discriminator(fake.detach()), False)
    d_loss.backward()
    d_opt.step()
"""
G_STEP = """    g_opt.zero_grad()
    g_loss = adversarial_loss(discriminator(fake), True)
    g_loss.backward()  # also leaves gradients on the discriminator; d_opt.zero_grad() clears them
    g_opt.step()
"""


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return run_sides("gan", tmp_path_factory.mktemp("runs"), epochs=2)


def test_two_epochs_bitwise_equal_for_both_optimizers(reference):
    plain, lightning = reference["plain"], reference["lightning"]
    comparison = compare(plain, lightning)
    assert comparison.bitwise_equal
    for name in ("train/d_loss", "train/g_loss"):
        assert len(plain.series[name]) == 2 * 63 and plain.series[name] == lightning.series[name]
    assert plain.series["val/d_loss"] == lightning.series["val/d_loss"] and len(plain.series["val/d_loss"]) == 16
    assert {k.split(".")[0] for k in plain.state_dict} == {"generator", "discriminator"}
    assert all(torch.equal(plain.state_dict[k], lightning.state_dict[k]) for k in plain.state_dict)


def test_fabric_side_with_two_setups_is_bitwise_equal_to_plain(reference):
    """Two fabric.setup calls (a model and its optimizer each), fabric.backward twice a batch, the same PNGs."""
    comparison = compare(reference["plain"], reference["fabric"])
    assert comparison.bitwise_equal and comparison.files_compared == 2 == comparison.files_identical


def test_sample_grids_are_identical_pngs_of_varied_images(reference):
    plain, lightning = reference["plain"], reference["lightning"]
    assert sorted(plain.artifacts) == ["samples/epoch_0.png", "samples/epoch_1.png"] == sorted(lightning.artifacts)
    for name in plain.artifacts:
        a, b = Path(plain.artifacts[name]).read_bytes(), Path(lightning.artifacts[name]).read_bytes()
        assert a.startswith(b"\x89PNG") and a == b
    grid = np.asarray(Image.open(plain.artifacts["samples/epoch_1.png"]))
    assert grid.shape == (8 * 56, 8 * 56) and grid.std() > 20  # a picture, not a flat image


def test_negative_control_generator_step_before_discriminator_step(run, reference, tmp_path):
    broken = edited(
        "gan",
        "plain",
        D_STEP + "\n    # Generator step: make the (just updated) discriminator call the fakes real.\n" + G_STEP,
        G_STEP + "\n" + D_STEP,
        tmp_path,
    )
    comparison = compare(run("gan", "plain", source=broken, epochs=2), reference["lightning"])
    assert not comparison.bitwise_equal
    d_loss = next(s for s in comparison.series if s.name == "train/d_loss")
    assert d_loss.identical < 2 and comparison.files_identical == 0


def test_negative_control_noise_drawn_after_the_discriminator_forward(run, reference, tmp_path):
    """Moving the noise draw changes which dropout masks and which noise each step sees."""
    broken = edited(
        "gan",
        "plain",
        "    noise = torch.randn(len(real), LATENT, device=real.device)  # global RNG, same point on both sides\n"
        "    fake = generator(noise)\n",
        "    discriminator(real)\n    noise = torch.randn(len(real), LATENT, device=real.device)\n    fake = generator(noise)\n",
        tmp_path,
    )
    comparison = compare(run("gan", "plain", source=broken, epochs=1), reference["lightning"])
    g_loss = next(s for s in comparison.series if s.name == "train/g_loss")
    assert g_loss.identical == 0


def test_max_steps_counts_optimizer_steps_like_lightning(run):
    plain, lightning = (run("gan", side, max_steps=50) for side in ("plain", "lightning"))
    assert compare(plain, lightning).bitwise_equal
    assert len(plain.series["train/d_loss"]) == 25  # two optimizer steps per batch
