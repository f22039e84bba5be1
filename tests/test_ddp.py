"""DDP on CPU (gloo, 2 processes per side, launched by torchrun): per-rank bitwise equality, and its control.

Cost on 2 cores: about 10 s per side per run (two interpreters import torch and Lightning each).
"""

from __future__ import annotations

import json

import pytest

from pairs.harness.cli import main
from pairs.harness.record import compare
from pairs.harness.registry import SIDES, get
from pairs.harness.run import config_for, run_distributed
from tests.conftest import assert_all_equal, edited


def test_ddp_mnist_is_bitwise_equal_per_rank(tmp_path):
    report = tmp_path / "ddp.json"
    code = main(["check", "mnist_mlp", "--devices", "2", "--epochs", "2", "--root-dir", str(tmp_path), "--json", str(report)])
    result = json.loads(report.read_text())
    assert code == 0 and result["bitwise_equal"] and result["sides"] == ["plain", "fabric", "lightning"]
    for side in ("fabric", "lightning"):  # each compared with plain.py, rank by rank
        compared = result["compared_with_reference"][side]
        series = {s["name"]: s for s in compared["series"]}
        for rank in (0, 1):
            train = series[f"rank{rank}/train/loss"]
            assert train["compared"] == train["identical"] == 2 * 32  # 4,000 digits / 2 ranks / 64 per batch
        assert series["epoch/rank1/val_acc"]["identical"] == 2  # each rank's own validation shard
        assert compared["weights"]["identical"] == compared["weights"]["tensors"] == 12  # 6 tensors x 2 ranks


def test_ddp_ranks_see_different_data_and_set_epoch_matters(tmp_path):
    """Control: plain.py as users often write it, without `sampler.set_epoch(epoch)`, repeats epoch 0's shuffle,
    so epoch 1 differs from Lightning's (which calls set_epoch for you); epoch 0 still matches, which pins the
    cause to set_epoch."""
    pair = get("mnist_mlp")
    config = config_for(pair, epochs=2, devices=2, root_dir=tmp_path)
    lightning = run_distributed(pair, "lightning", config)
    ranks = [lightning.series[f"rank{r}/train/loss"] for r in (0, 1)]
    assert ranks[0] != ranks[1]  # each rank trained on its own shard

    no_set_epoch = edited("mnist_mlp", "plain", "train_loader.sampler.set_epoch(epoch)", "pass", tmp_path)
    control = run_distributed(pair, "plain", config, source=no_set_epoch)
    comparison = {s.name: s for s in compare(control, lightning).series}
    for rank in (0, 1):
        train = comparison[f"rank{rank}/train/loss"]
        assert train.compared == 64
        assert control.series[f"rank{rank}/train/loss"][:32] == lightning.series[f"rank{rank}/train/loss"][:32]
        assert train.identical < 64  # epoch 1 differs


def test_control_fabric_without_reseeding_after_building_differs_under_ddp(tmp_path):
    """fabric.py without `fabric.seed_everything` after building the model: the DistributedSamplers that
    setup_dataloaders puts in take their seed from it (PL_GLOBAL_SEED); without it they shuffle with seed 0, not
    plain.py's 42, and every loss differs from the first."""
    pair = get("mnist_mlp")
    config = config_for(pair, epochs=1, devices=2, root_dir=tmp_path)
    no_reseed = edited("mnist_mlp", "fabric", "        fabric.seed_everything(args.seed, verbose=False)", "        pass",
                       tmp_path)  # fmt: skip
    control = run_distributed(pair, "fabric", config, source=no_reseed)
    plain = run_distributed(pair, "plain", config)
    comparison = {s.name: s for s in compare(plain, control).series}
    assert comparison["rank0/train/loss"].identical == 0 and comparison["rank1/train/loss"].identical == 0


@pytest.mark.slow
@pytest.mark.parametrize("pair_name", ["seq2seq", "gan"])
def test_ddp_other_pairs_are_bitwise_equal_per_rank(pair_name, tmp_path):
    """seq2seq (one optimizer, clipping after the all-reduce) and the GAN (two DDP-wrapped networks by hand,
    one module with find_unused_parameters in Lightning): one epoch each, about 30-60 s per pair."""
    pair = get(pair_name)
    config = config_for(pair, epochs=1, devices=2, root_dir=tmp_path)
    results = {side: run_distributed(pair, side, config) for side in SIDES}
    assert_all_equal(results)
    assert any(name.startswith("rank1/train/") for name in results["plain"].series)
