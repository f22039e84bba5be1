"""The learning rate read at the epoch's end. Lightning steps a returned epoch scheduler when the epoch's last batch
is done, before on_train_epoch_end (pytorch_lightning/loops/training_epoch_loop.py): a print of
`scheduler.get_last_lr()` that the loop ran before `scheduler.step()` printed the next epoch's rate after the
conversion, with a clean exit. The step now stays at epoch end after it, on the optimizer configure_optimizers
returns. And an optimizer a function of the script reads as a global (`def current_lr(): return
optimizer.param_groups[0]["lr"]`) stays where it is built (T2L153): moved into configure_optimizers, the function
raised NameError."""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

PRINTED = named("rate_printed_before_the_epoch_scheduler_step")
HELPER = named("rate_helper_reads_the_optimizer_global")
KEPT_STEP = "        self.scheduler.step()\n"
RETURNED = '        return {"optimizer": self.optimizer, "lr_scheduler": {"scheduler": self.scheduler}}\n'


def test_the_step_stays_after_the_print_and_lightning_does_not_step_it():
    output, report = convert_source(PRINTED.input.read_text(), PRINTED.input.name)
    end = output.index("    def on_train_epoch_end(self):")
    assert output.index("get_last_lr()", end) < output.index(KEPT_STEP, end)
    assert "    def configure_optimizers(self):\n        return self.optimizer\n" in output and not report.todos


def test_the_optimizer_a_function_reads_stays_where_it_is_built():
    output, report = convert_source(HELPER.input.read_text(), HELPER.input.name)
    assert "T2L153" in {f.code for f in report.findings} and "T2L925" not in {f.code for f in report.findings}
    assert output.index("optimizer = torch.optim.SGD(") < output.index("class LitModel")


@pytest.mark.slow  # a --verify run of each control (about 20 s)
def test_controls_the_scheduler_left_to_lightning_prints_the_next_rate_and_the_moved_optimizer_is_missing(tmp_path):
    def returned(output: str) -> str:
        return output.replace(KEPT_STEP, "").replace("        return self.optimizer\n", RETURNED)

    (tmp_path / "printed").mkdir()
    result = verify_control(PRINTED, returned, tmp_path / "printed")
    assert result.failed is None and result.bitwise_equal  # the same training ...
    assert result.printed_different  # ... but every epoch's line shows the next epoch's rate

    def moved(output: str) -> str:  # the optimizer built in configure_optimizers, as the conversion did before
        built = "optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)\n"
        return output.replace(built, "").replace("        return self.optimizer\n", "        return torch.optim.SGD("
                                                 "self.model.parameters(), lr=0.05, momentum=0.9)\n")  # fmt: skip

    (tmp_path / "helper").mkdir()
    result = verify_control(HELPER, moved, tmp_path / "helper")
    assert result.failed is not None and "NameError" in result.failed
