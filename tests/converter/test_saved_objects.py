"""The SSD tutorial's train.py (and the other sgrvinod tutorials): `save_checkpoint(epoch, model, optimizer)`
pickles `{"epoch": epoch, "model": model, "optimizer": optimizer}` each epoch; `decay_lr_at`, a local of main(),
is read by the epoch loop's `if epoch in decay_lr_at:`; the train function ends `del predicted_locs, images, ...`.
Each made a clean exit followed by a failure: the Lightning wrapper of the optimizer (and Fabric's) is a class made
at run time that pickle cannot find (PicklingError), `decay_lr_at` was read as a global (NameError, T2L925), and the
`del` kept the last batch on the module to delete it. The fixture ssd_tutorial_checkpoint_dict_and_del verifies
bitwise on both routes."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from tests.converter.fixtures import named, verify_control

SSD = named("ssd_tutorial_checkpoint_dict_and_del")


def test_the_optimizer_saved_whole_is_the_one_lightning_wraps():
    output, report = convert_source(SSD.input.read_text(), SSD.input.name)
    assert "save_checkpoint(self.current_epoch, self.model, self.optimizers(use_pl_optimizer=False))" in output
    assert "adjust_learning_rate(self.optimizers(), 0.1)" in output  # not saved: Lightning's wrapper, as everywhere
    assert "if self.current_epoch in self.decay_lr_at:" in output and "decay_lr_at=decay_lr_at" in output
    assert "\n        del " not in output.split("class LitTinySSD")[1] and not report.todos


def test_fabric_leaves_an_optimizer_saved_whole_as_it_is():
    output, report = convert_to_fabric(SSD.input.read_text(), SSD.input.name)
    assert "T2L329" in {f.code for f in report.findings}
    assert "setup_optimizers(optimizer)" not in output and "fabric.setup(" not in output
    assert "fabric.backward(loss)" in output


def test_state_dicts_saved_keep_the_setup():
    """Control of the two above: saving `.state_dict()`s pickles tensors, and the optimizer is set up (with the
    model: its parameter groups, biases and the rest, all come from the model, T2L331), the hooks hand over
    Lightning's wrapper."""
    source = SSD.input.read_text().replace('state = {"epoch": epoch, "model": model, "optimizer": optimizer}',
                                           'state = {"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict()}')  # fmt: skip
    assert source != SSD.input.read_text()
    output, report = convert_to_fabric(source)
    assert "T2L329" not in {f.code for f in report.findings} and "model, optimizer = fabric.setup(model, optimizer)" in output
    assert "use_pl_optimizer" not in convert_source(source)[0]


@pytest.mark.slow  # a whole --verify run
def test_lightning_s_wrapper_saved_fails_the_verification(tmp_path: Path):
    """Negative control: the wrapper handed to save_checkpoint, as the output was: the converted script fails."""
    result = verify_control(SSD, lambda output: output.replace("self.optimizers(use_pl_optimizer=False)", "self.optimizers()"), tmp_path)
    assert result.failed is not None and "PicklingError" in result.failed
