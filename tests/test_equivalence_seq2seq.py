"""The proof for the seq2seq pair: losses, gradient norms (clipping really happens), BLEU and weights."""

from __future__ import annotations

import pytest
import torch

from pairs.harness.cli import EXIT_OK, EXIT_USAGE, main
from pairs.harness.record import compare
from pairs.seq2seq.model import CLIP_NORM
from tests.conftest import edited, run_sides


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="module")
def reference(root):
    return run_sides("seq2seq", root, epochs=2)


def test_two_epochs_bitwise_equal(reference):
    plain, lightning = reference["plain"], reference["lightning"]
    comparison = compare(plain, lightning)
    assert comparison.bitwise_equal
    assert len(plain.series["train/loss"]) == 2 * 71 and plain.series["train/loss"] == lightning.series["train/loss"]
    assert plain.series["val/loss"] == lightning.series["val/loss"] and len(plain.series["val/loss"]) == 2 * 8
    assert all(torch.equal(plain.state_dict[k], lightning.state_dict[k]) for k in plain.state_dict)
    assert [e["val_bleu"] for e in plain.epochs] == [e["val_bleu"] for e in lightning.epochs]
    assert plain.epochs[-1]["val_bleu"] > 0.2 and plain.epochs[-1]["val_loss"] < plain.epochs[0]["val_loss"]


def test_fabric_side_is_bitwise_equal_to_plain(reference):
    """fabric.clip_gradients measures and clips the same norm as clip_grad_norm_; greedy() runs as a forward method."""
    plain, fabric = reference["plain"], reference["fabric"]
    assert compare(plain, fabric).bitwise_equal
    assert fabric.series["optimizer/norm_before_clipping"] == plain.series["optimizer/norm_before_clipping"]
    assert [e["val_bleu"] for e in fabric.epochs] == [e["val_bleu"] for e in plain.epochs]


def test_clipping_triggers_and_the_norms_agree(reference):
    """The probe sees clip_grad_norm_'s measured norm (before clipping) and the norm each step used (after)."""
    plain, lightning = reference["plain"].series, reference["lightning"].series
    before, after = plain["optimizer/norm_before_clipping"], plain["optimizer/grad_norm"]
    assert before == lightning["optimizer/norm_before_clipping"] and after == lightning["optimizer/grad_norm"]
    clipped = sum(n > CLIP_NORM for n in before)
    assert clipped >= len(before) // 2, f"clipping triggered on only {clipped}/{len(before)} steps"
    assert all(a <= CLIP_NORM * 1.001 for a in after)  # every step used clipped gradients (float32 rounding)


def test_negative_control_plain_without_clipping(run, reference, tmp_path):
    broken = edited(
        "seq2seq",
        "plain",
        "torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)",
        "torch.nn.utils.get_total_norm([p.grad for p in model.parameters() if p.grad is not None])",
        tmp_path,
    )
    comparison = compare(run("seq2seq", "plain", source=broken, epochs=1), reference["lightning"])
    loss = next(s for s in comparison.series if s.name == "train/loss")
    # Losses agree up to the step after the first step that clipping changed, and never again.
    first_clipped = next(
        i for i, n in enumerate(reference["lightning"].series["optimizer/norm_before_clipping"]) if n > CLIP_NORM
    )
    assert loss.identical == first_clipped + 1 and loss.max_abs_diff > 1e-3


def test_negative_control_plain_without_scheduler_step(run, reference, tmp_path):
    broken = edited("seq2seq", "plain", "        scheduler.step()", "        pass", tmp_path)
    comparison = compare(run("seq2seq", "plain", source=broken, epochs=2), reference["lightning"])
    loss = next(s for s in comparison.series if s.name == "train/loss")
    assert not comparison.bitwise_equal
    assert loss.identical == 71 + 1  # epoch 1 agrees (and epoch 2's first loss); the learning rate differs after


def test_translate_loads_the_lightning_checkpoint(reference, root, capsys):
    assert main(["translate", "i am cold .", "i like zebrafish .", "--root-dir", str(root)]) == EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("i am cold . -> ") and len(lines[0].split("-> ")[1].split()) >= 2
    assert "<unk>" in lines[1]  # an unknown word is mapped, not an error


def test_translate_without_a_checkpoint_is_a_one_line_error(tmp_path, capsys):
    assert main(["translate", "hello", "--root-dir", str(tmp_path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "t2l check seq2seq" in err and "Traceback" not in err
