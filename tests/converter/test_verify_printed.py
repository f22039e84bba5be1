"""`t2l convert --verify` compares what the scripts print as well as their losses: a converted script that computes
the same losses but prints another validation loss (a total reset at the wrong place) must not pass."""

from __future__ import annotations

import subprocess
import sys

import pytest

from converter._verify_printed import compared, nearest, unmatched
from converter.convert import convert_source
from converter.files import EXIT_OK
from converter.verify import verify
from pairs.harness.cli import main


def test_a_line_only_the_converted_script_printed_is_a_difference():
    assert unmatched(["epoch 0 val 8.4400"], ["epoch 0 val 1.2900"]) == ["epoch 0 val 8.4400"]
    assert unmatched(["epoch 0 val 1.2900"], ["step 3 loss 0.7", "epoch 0 val 1.2900"]) == []  # batch prints moved
    assert unmatched(["done", "done"], ["done"]) == ["done"]  # as many times as the original printed it


def test_only_the_numbers_that_change_between_runs_of_the_original_are_left_out():
    first, again = ["epoch 1 loss 0.50 pid 1204"], ["epoch 1 loss 0.50 pid 1391"]
    assert unmatched(["epoch 1 loss 0.50 pid 1533"], first, again) == []
    assert unmatched(["epoch 1 loss 0.51 pid 1533"], first, again) == ["epoch 1 loss 0.51 pid 1533"]
    assert unmatched(["epoch 1 loss 0.50 pid 1533"], first) == ["epoch 1 loss 0.50 pid 1533"]  # no second run
    assert unmatched(["epoch 1 loss 0.50 pid 1533"], first, first) == ["epoch 1 loss 0.50 pid 1533"]  # it did not change


def test_the_last_step_of_a_stopped_run_is_not_compared():
    """Lightning prints in training_step before its optimizer step; the original printed after it and stopped."""
    printed = [[2, "step 2"], [3, "step 3"]]
    assert compared({"stopped": True, "final_tag": 4, "initial_weights": ["a"], "printed": printed}) == ["step 2"]
    assert compared({"stopped": True, "final_tag": 4, "initial_weights": ["a", "b"], "printed": printed}) == []
    assert compared({"stopped": False, "final_tag": 4, "initial_weights": ["a"], "printed": printed}) == ["step 2", "step 3"]


def test_the_nearest_original_line_is_the_one_of_the_same_shape_with_most_numbers_equal():
    original = ["epoch 0 train 0.61 val 1.29", "epoch 1 train 0.40 val 1.05", "saved"]
    assert nearest("epoch 0 train 0.61 val 8.44", original) == "epoch 0 train 0.61 val 1.29"
    assert nearest("best 3", original) is None


def test_the_script_s_clock_counts_its_readings_and_the_libraries_read_the_real_one(tmp_path):
    """In a process of its own (pytest reads the clock): the script's readings are 1 ms apart whatever time passed,
    a reading from a file elsewhere (a library) is the real clock."""
    script = tmp_path / "clock.py"
    script.write_text(
        "import time\n"
        "from converter._verify_record import count_the_clock\n"
        f"count_the_clock({str(tmp_path)!r})\n"
        "first = time.time(); time.sleep(0.05); second = time.perf_counter(); third = time.time()\n"
        "assert abs(third - first - 0.001) < 1e-6 and time.perf_counter() > second and first == 1_750_000_000.001\n"
        "library = {}\n"
        "exec(compile('import time; t = time.time(); time.sleep(0.05); u = time.time()', '/elsewhere/lib.py', 'exec'), library)\n"
        "assert library['u'] - library['t'] >= 0.05\n"
    )  # fmt: skip
    subprocess.run([sys.executable, str(script)], check=True)


def test_timeit_s_default_timer_is_the_script_s_counted_clock_too(tmp_path):
    """`from timeit import default_timer as timer` (an epoch's time printed): timeit bound perf_counter when a library
    imported it, before the clock was counted; the script's readings are counted all the same (they were the real
    clock, and a printed epoch time could differ between the original's two runs and the converted one's)."""
    script = tmp_path / "timed.py"
    script.write_text(
        "import time, timeit\n"  # imported first, as torch or Lightning may
        "from converter._verify_record import count_the_clock\n"
        f"count_the_clock({str(tmp_path)!r})\n"
        "from timeit import default_timer as timer\n"
        "started = timer(); time.sleep(0.05); finished = timer()\n"
        "assert abs(finished - started - 0.001) < 1e-9, finished - started\n"
    )  # fmt: skip
    subprocess.run([sys.executable, str(script)], check=True)


SCRIPT = '''
import os
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

train_loader = DataLoader(TensorDataset(torch.randn(24, 4), torch.randn(24, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
start = time.time()
for epoch in range(2):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            val_loss += nn.functional.mse_loss(model(x), y).item()
    print(f"epoch {epoch} val {val_loss / len(val_loader):.6f} after {time.time() - start:.6f}s in process {os.getpid()}")
'''


@pytest.mark.slow  # --verify runs of a script with a validation (about 35 s on a busy machine)
def test_verify_compares_the_printed_validation_loss_and_tells_a_wrong_one(tmp_path, capsys):
    """Both sides print a duration (the script's clock counts its readings: the same on both sides) and a process
    id (different in every run: the original's second run shows it); the validation loss must be the original's. The control divides the total by
    one more batch: the same losses at every step, another printed validation loss."""
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    assert main(["convert", str(script), "--verify", "--steps", "20"]) == EXIT_OK, capsys.readouterr()
    assert "the original printed each of the 2 the converted script printed" in capsys.readouterr().out
    script.with_name("train_lightning.py").unlink()
    converted, _ = convert_source(SCRIPT, "train.py")
    assert converted is not None and "/ len(self.val_loader)" in converted
    control = tmp_path / "control.py"
    control.write_text(converted.replace("/ len(self.val_loader)", "/ (len(self.val_loader) + 1)"))
    result = verify(script, control, [], steps=20, cwd=tmp_path)
    assert result.bitwise_equal and not result.agrees
    assert len(result.printed_different) == 2 and result.printed_different[0].startswith("epoch 0 val ")
    assert nearest(result.printed_different[0], result.original.printed) == result.original.printed[0]
    assert result.to_dict()["printed_different"] == result.printed_different


def test_the_script_s_log_messages_are_kept_as_printed_lines_and_a_library_s_are_not(tmp_path):
    """In a process of its own: `logging.basicConfig` still configures the run (no handler was added before it), the
    script's `logger.info` message is recorded without the handler's format, a record from a file elsewhere (a
    library) is not, and neither is one its level filters out."""
    script = tmp_path / "logs.py"
    script.write_text(
        "import logging, sys\n"
        "from converter._verify_record import Recorder\n"
        f"recorder = Recorder({str(tmp_path / 'out.json')!r}, 10)\n"
        f"recorder.keep_the_script_s_log_lines({str(tmp_path)!r})\n"
        "logging.basicConfig(level=logging.INFO, format='%(asctime)s %(message)s', stream=sys.stdout)\n"
        "assert logging.getLogger().handlers, 'basicConfig configured the root logger'\n"
        "log = logging.getLogger('train')\n"
        "log.info('epoch %d loss %.3f', 1, 0.25)\n"
        "log.debug('not shown')\n"
        "exec(compile('import logging; logging.getLogger(\"lib\").info(\"from a library\")', '/elsewhere/lib.py', 'exec'), {})\n"
        "assert [line for _, line in recorder.printed] == ['epoch 1 loss 0.250'], recorder.printed\n"
    )  # fmt: skip
    subprocess.run([sys.executable, str(script)], check=True, cwd=tmp_path)


@pytest.mark.slow  # a whole --verify run
def test_a_wrong_value_in_a_logged_line_fails_the_verification(tmp_path):
    """Negative control on SimCLR's fixture, which reports each epoch with `logger.info` (to standard error): the
    converted script logging the epoch's total instead of its mean has the same losses and another logged line."""
    from tests.converter.fixtures import named, verify_control

    fixture = named("simclr_two_views_logged_epoch_total")
    result = verify_control(fixture, lambda s: s.replace("self.loss_epoch / len(self.loader)", "self.loss_epoch"), tmp_path)
    assert result.bitwise_equal and not result.agrees
    assert result.printed_different and result.printed_different[0].startswith("Epoch [")
