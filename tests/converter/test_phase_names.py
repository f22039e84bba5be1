"""The transfer-learning tutorial's phase loop (`for phase in ["train", "val"]:`) goes on after its batch loop: the
epoch's accuracy per phase, a print, the best weights kept on the validation phase, loaded after the training. Split
into training_step and validation_step (T2L120), that code went with no word, and the best weights loaded after fit
were the initial ones (T2L909). Unrolled once per phase first (T2L163), every line of it is kept: the run prints
what the script printed, to the last line."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source, driver
from converter.convert.normalize import phase_names
from tests.converter.fixtures import named, printed_lines

TRANSFER = named("phase_loop_transfer")


def test_the_phase_summary_and_the_best_weights_are_kept():
    output, report = convert_source(TRANSFER.input.read_text(), TRANSFER.input.name)
    assert any(f.code == "T2L163" for f in report.findings) and not report.todos
    end = output[output.index("def on_train_epoch_end") :]
    assert "print(f'train Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}')" in end
    assert "print(f'val Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}')" in end
    assert "self.best_model_wts = copy.deepcopy(self.model.state_dict())" in end
    assert "model.load_state_dict(lit_model.best_model_wts)" in output


PRINTED = ("train Loss", "val Loss", "Best val Acc")  # ("Epoch ..." lines: the progress bar prints such too)


@pytest.mark.slow  # three whole runs
def test_the_whole_run_prints_what_the_script_printed_and_the_split_did_not(tmp_path: Path, monkeypatch):
    source = TRANSFER.input.read_text()
    converted, _ = convert_source(source, TRANSFER.input.name)
    monkeypatch.setattr(driver, "NORMALIZERS", [n for n in driver.NORMALIZERS if n is not phase_names])
    split, _ = convert_source(source, TRANSFER.input.name)  # the negative control: the phase loop split as before
    assert split != converted
    printed = printed_lines({"original": source, "converted": converted, "split": split}, tmp_path, PRINTED)
    assert len(printed["original"]) == 3 * 2 + 1  # three epochs of two phases; the best accuracy
    assert printed["converted"] == printed["original"]
    assert printed["split"] != printed["original"]
