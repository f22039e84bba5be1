"""A loop that never zeroes the gradients, beside a validation loop (T2L143): Lightning zeroes them before each step,
which `optimizer_zero_grad` doing nothing undoes, and also before each validation (`on_validation_model_zero_grad`),
which the loop never did: the gradients meant to add up over every step restarted after each epoch's evaluation (a
clean exit; the losses different from the second epoch's second batch). The control is the output without that hook.
"""

from __future__ import annotations

import pytest

from tests.converter.fixtures import named, verify_beside_control

ENGINE = named("engine_functions_never_zero_the_gradients")
HOOK = "    def on_validation_model_zero_grad(self):\n        pass  # the loop never zeroed the gradients around its evaluation\n\n"


def test_both_hooks_do_nothing():
    output = ENGINE.expected.read_text()
    assert HOOK in output and "def optimizer_zero_grad(self, epoch, batch_idx, optimizer):\n        pass" in output


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_gradients_add_up_across_the_evaluations(tmp_path):
    output = ENGINE.expected.read_text()
    results = verify_beside_control(ENGINE.input, output, output.replace(HOOK, ""), 18, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 18
    assert results["control"].failed is None and results["control"].first_difference == 7  # epoch 2's second batch
