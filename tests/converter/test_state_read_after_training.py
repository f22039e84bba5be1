"""A value some batches set and code after the training reads (`best_state = copy.deepcopy(model.state_dict())` under
`if val_loss < best_val:` in an evaluation every N steps, loaded after the loop) is the module's state, set from its
value before the loop: on_train_batch_end updates `self.best_state`, and the code after fit loads
`lit_model.best_state`. The block stayed in training_step before (T2L923), evaluating before Lightning's step, one
update early."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, printed_lines

FIXTURE = named("eval_every_n_steps_best_state_copied")
KEPT = "                self.best_state = copy.deepcopy(self.model.state_dict())\n"


def test_the_best_state_is_the_module_s_and_read_after_fit():
    output, report = convert_source(FIXTURE.input.read_text(), FIXTURE.input.name)
    assert KEPT in output and "model.load_state_dict(lit_model.best_state)" in output
    assert "def on_train_batch_end(self, outputs, batch, batch_idx):" in output
    assert not report.todos


@pytest.mark.slow  # three scripts train their three epochs (about 15 s)
def test_the_reloaded_weights_are_the_best_ones(tmp_path):
    output = FIXTURE.expected.read_text()
    local = output.replace(KEPT, KEPT.replace("self.best_state", "best_state"))  # the hook's own name: lost on return
    printed = printed_lines({"original": FIXTURE.input.read_text(), "converted": output, "control": local}, tmp_path,
                            prefix=("step ", "best "))  # fmt: skip
    assert len(printed["original"]) > 5 and printed["converted"] == printed["original"]
    # control: the best weights kept in a local of the hook: the script reloads the weights it started from
    assert printed["control"][:-1] == printed["original"][:-1] and printed["control"][-1] != printed["original"][-1]
