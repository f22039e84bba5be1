"""bf16-mixed on CPU: torch.autocast by hand vs Trainer(precision="bf16-mixed"), bitwise equal.

The control shows why the plain side passes cache_enabled=False: with autocast's default weight cache, the
GAN's generator step (inside the same autocast region as the discriminator's optimizer step) reads the
discriminator's stale bfloat16 weights. seq2seq runs about 45 s per side in bf16 on CPU: it is `slow`.
"""

from __future__ import annotations

import pytest

from tests.conftest import assert_all_equal, edited, run_sides

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


# the GAN's run takes about 37 s of the default command's 2-core budget: `slow`, like seq2seq's (.ci/run runs both)
@pytest.mark.parametrize("pair_name", ["mnist_mlp", *(pytest.param(p, marks=pytest.mark.slow) for p in ("gan", "seq2seq"))])
def test_bf16_mixed_is_bitwise_equal(pair_name, tmp_path):
    results = run_sides(pair_name, tmp_path, epochs=1, precision="bf16-mixed")
    assert_all_equal(results)  # torch.autocast by hand, Fabric(precision=...), Trainer(precision=...)
    fp32 = run_sides(pair_name, tmp_path / "fp32", ("plain",), epochs=1)["plain"]
    assert fp32.series != results["plain"].series  # bf16 really ran: the losses are not the float32 ones


def test_control_autocast_weight_cache_breaks_the_gan(run, tmp_path):
    """plain.py without `cache_enabled=False` (autocast's default caches the bf16 copy of each weight)."""
    cached = edited("gan", "plain", ", cache_enabled=False)", ")", tmp_path)
    results = {side: run("gan", side, source=cached if side == "plain" else None, epochs=1, precision="bf16-mixed")
               for side in ("plain", "lightning")}  # fmt: skip
    plain, lightning = results["plain"].series, results["lightning"].series
    assert plain["train/d_loss"][0] == lightning["train/d_loss"][0]  # the first discriminator step agrees
    assert plain["train/g_loss"][0] != lightning["train/g_loss"][0]  # the first generator step read stale weights


@pytest.mark.parametrize("pair_name", ["gan", pytest.param("seq2seq", marks=pytest.mark.slow)])
def test_control_fabric_keeps_autocasts_weight_cache(pair_name, run, tmp_path):
    """fabric.py without `torch.set_autocast_cache_enabled(False)`: Fabric's autocast caches bf16 weight copies.
    The GAN's generator step reads the discriminator's stale copy; seq2seq, whose weights serve every time step,
    sums their gradients in bfloat16 through the one cached copy (its first loss agrees, its first gradient not)."""
    cached = edited(pair_name, "fabric", "    torch.set_autocast_cache_enabled(False)\n", "", tmp_path)
    fabric = run(pair_name, "fabric", source=cached, max_steps=4, precision="bf16-mixed").series
    plain = run(pair_name, "plain", max_steps=4, precision="bf16-mixed").series
    first = "train/d_loss" if pair_name == "gan" else "train/loss"
    assert fabric[first][0] == plain[first][0]
    assert fabric["optimizer/grad_norm"] != plain["optimizer/grad_norm"]
