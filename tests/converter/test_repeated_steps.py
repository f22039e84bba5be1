"""A critic trained several times a batch (`for _ in range(n_critic): ...; d_loss.backward(); opt_D.step()`, then the
generator once): the repeat loop was taken for the batch loop, the batch loop for an epoch loop, and the generator's
step for a second training (T2L913) or epoch-end code that crashed. The loop around is the batch loop now, the repeats
stay in training_step as written under manual optimization. So do steps repeated on each batch of a loader with no
backward around them (free adversarial training replays each batch n times): the loader loop was dropped. And a backward given a gradient (`D_real.backward(mone)`,
`losses.backward(torch.ones_like(losses))`) keeps it: it was dropped, so the critic climbed the other way."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

CRITIC_ITERATIONS = named("wgan_gp_critic_iterations")
CRITIC_PER_BATCH = Path(__file__).parent / "rules/convert/manual_optimization/critic_trained_n_times_a_batch.in.py"
REPLAYS = named("free_adversarial_training_batch_replays")


@pytest.mark.parametrize("script", [CRITIC_ITERATIONS.input, CRITIC_PER_BATCH], ids=["iteration loop", "batch loop"])
def test_the_critic_repeats_stay_inside_one_training_step(script: Path):
    output, report = convert_source(script.read_text(), script.name)
    step = output[output.index("def training_step") : output.index("def configure_optimizers")]
    assert "for _ in range(3):" in step or "for iter_d in range(CRITIC_ITERS):" in step
    assert step.count("self.manual_backward(") >= 2 and "toggle_optimizer" in step
    assert not report.todos and "T2L913" not in {f.code for f in report.findings}


def test_a_batch_replayed_with_a_step_each_time_is_one_training_step():
    output, report = convert_source(REPLAYS.input.read_text(), REPLAYS.input.name)
    step = output[output.index("def training_step") : output.index("def configure_optimizers")]
    assert step.startswith("def training_step(self, batch, i):\n        input, target = batch\n")
    assert "        for j in range(n_repeats):\n" in step and "            optimizer.step()\n" in step
    assert any(f.code == "T2L119" and "several times on each batch" in f.message for f in report.findings)
    assert not report.todos


def test_the_gradient_given_to_backward_goes_on_to_manual_backward():
    output, _ = convert_source(CRITIC_ITERATIONS.input.read_text(), CRITIC_ITERATIONS.input.name)
    assert "self.manual_backward(D_real, mone)" in output and "self.manual_backward(G, mone)" in output


EPOCH_LOOP_AROUND = """\
import torch
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
data = [torch.randn(4, 2) for _ in range(5)]
for epoch in range(3):
    for i in range(5):
        loss = model(data[i]).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    extra = model(torch.ones(1, 2)).pow(2).mean()
    optimizer.zero_grad()
    extra.backward()
    optimizer.step()
"""


def test_a_counted_loop_around_that_steps_the_same_optimizer_is_no_iteration_loop():
    _, report = convert_source(EPOCH_LOOP_AROUND)  # an epoch loop with an extra step of its own: not repeats
    codes = {f.code for f in report.findings}
    assert "T2L119" not in codes and "T2L913" in codes  # the extra step stays marked as a training of its own


@pytest.mark.slow  # a verify run
def test_negative_control_the_gradient_dropped_trains_otherwise(tmp_path: Path):
    """What the conversion made before: `self.manual_backward(D_real)`, the critic's real term back-propagated with +1."""
    result = verify_control(CRITIC_ITERATIONS, lambda out: out.replace("self.manual_backward(D_real, mone)",
                                                                       "self.manual_backward(D_real)"), tmp_path)
    assert result.failed is None and not result.bitwise_equal


@pytest.mark.slow  # a verify run
def test_negative_control_one_replay_less_trains_otherwise(tmp_path: Path):
    result = verify_control(REPLAYS, lambda out: out.replace("for j in range(n_repeats):", "for j in range(n_repeats - 1):"),
                            tmp_path)  # fmt: skip
    assert result.failed is None and not result.bitwise_equal
