"""YOLOv5's optimizer is built in two lines (`SGD(bias_group, ...)`, then `optimizer.add_param_group(weights)`) and
stepped under `ni - last_opt_step >= accumulate` (manual optimization); the epoch's end reads its rates.

Both lines move to configure_optimizers (the second left at module level raised NameError, marked T2L909), and the
epoch's end reads the one optimizer as `self.optimizers()`: Lightning hands a single optimizer back alone, not in
a list (`self.optimizers()[0]` raised TypeError after a clean exit). Each control is the conversion as it was.
"""

from __future__ import annotations

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import named, verify_control

YOLO = named("yolov5_warmup_interp_param_groups")
MAE = named("mae_adjust_learning_rate_each_window")
ADD_GROUP = 'optimizer.add_param_group({"params": g_weights, "weight_decay": hyp["weight_decay"]})'


def test_the_second_line_moves_and_the_one_optimizer_is_read_alone():
    output, report = convert_source(YOLO.input.read_text(), YOLO.input.name)
    configure = output.split("def configure_optimizers(self):")[1].split("def ")[0]
    assert ADD_GROUP in configure
    assert "self.optimizers()[0]" not in output and 'lr = [x["lr"] for x in self.optimizers().param_groups]' in output
    assert not report.todos


@pytest.mark.slow  # two verify runs
@pytest.mark.parametrize("before, after, error", [
    ('lr = [x["lr"] for x in self.optimizers().param_groups]', 'lr = [x["lr"] for x in self.optimizers()[0].param_groups]', "TypeError"),
    (f"        {ADD_GROUP}\n", "", "NameError"),  # the second line left at module level, as it was
])  # fmt: skip
def test_negative_controls_fail(tmp_path, before, after, error):
    def control(output: str) -> str:
        output = output.replace(before, after)
        return output if after else output.replace("\nlit_model = ", f"\n{ADD_GROUP}\nlit_model = ")

    result = verify_control(YOLO, control, tmp_path)
    assert result.failed is not None and error in result.failed


def test_a_window_the_train_function_sets_as_a_local_is_read_at_the_site():
    """MAE's `accum_iter = args.accum_iter` in train_one_epoch: the Trainer is built where `accum_iter` is unbound."""
    output, _ = convert_source(MAE.input.read_text(), MAE.input.name)
    assert "pl.Trainer(accumulate_grad_batches=args.accum_iter, max_epochs=args.epochs, accelerator=\"cpu\")" in output


@pytest.mark.slow  # a verify run
def test_negative_control_the_local_s_name_at_the_site_fails(tmp_path):
    result = verify_control(MAE, lambda out: out.replace("accumulate_grad_batches=args.accum_iter", "accumulate_grad_batches=accum_iter"), tmp_path)
    assert result.failed is not None and "NameError" in result.failed
