"""`--verify`'s fingerprint of the weights an optimizer first updates: their values, whatever their memory layout."""

from __future__ import annotations

import torch

from converter._verify_record import fingerprint


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
