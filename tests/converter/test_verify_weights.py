"""`--verify`'s fingerprint of the weights an optimizer first updates: their values, whatever their memory layout."""

from __future__ import annotations

import torch

from converter._verify_record import Recorder, fingerprint


def test_a_channels_last_model_with_one_by_one_convolutions_is_fingerprinted_by_its_values():
    """A 1x1 convolution's weight in channels_last has a last stride of 8, not 1: the byte view of the weights used to
    raise, and `--verify` reported the original script as failed (milesial's Pytorch-UNet shape)."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3), torch.nn.Conv2d(8, 2, 1))
    standard = fingerprint(model.parameters())
    model.to(memory_format=torch.channels_last)
    assert model[1].weight.stride()[-1] != 1 and model[1].weight.is_contiguous()
    assert fingerprint(model.parameters()) == standard


def test_a_changed_value_changes_the_fingerprint():
    """Control: equal fingerprints mean equal values, not a digest that ignores them."""
    weights = [torch.ones(2, 3), torch.zeros(4)]
    before = fingerprint(weights)
    weights[1][2] = 1e-30
    assert fingerprint(weights) != before


def _recorder(tmp_path) -> Recorder:
    return Recorder(str(tmp_path / "record.json"), steps=100)


def test_a_frozen_copy_the_forward_updates_is_not_in_the_fingerprint(tmp_path):
    """MoCo's key encoder (requires_grad False) moves in the forward pass; Lightning calls step() before the forward
    (its closure runs training_step inside), the loop after it: the fingerprint is of the weights the optimizer
    trains, so both sides see the same. Control: a changed trainable weight still changes it."""
    torch.manual_seed(0)
    query, key = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    key.requires_grad_(False)
    first, moved, changed = _recorder(tmp_path), _recorder(tmp_path), _recorder(tmp_path)
    first._before_step(torch.optim.SGD([*query.parameters(), *key.parameters()], lr=0.1), (), {})
    with torch.no_grad():
        key.weight.mul_(0.5)
    moved._before_step(torch.optim.SGD([*query.parameters(), *key.parameters()], lr=0.1), (), {})
    with torch.no_grad():
        query.weight[0, 0] += 1.0
    changed._before_step(torch.optim.SGD([*query.parameters(), *key.parameters()], lr=0.1), (), {})
    assert first.initial_weights == moved.initial_weights
    assert changed.initial_weights != first.initial_weights


def test_a_step_with_no_gradients_is_not_counted(tmp_path):
    """Lightning calls step() for a batch whose training_step returned None (skipped, or a break before the step:
    T2L148): nothing is updated, as in the loop, which took no step; counting it would stop that side one loss early.
    Control: a step with gradients counts."""
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    recorder = _recorder(tmp_path)
    optimizer.zero_grad(set_to_none=True)
    recorder._after_step(optimizer, (), {})
    assert recorder.steps == 0
    model(torch.ones(2, 3)).sum().backward()
    recorder._after_step(optimizer, (), {})
    assert recorder.steps == 1
