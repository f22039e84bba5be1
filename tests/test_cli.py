"""The `t2l` command line: list, show, check, and one-line errors with distinct exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pairs.harness.cli import EXIT_OK, EXIT_USAGE, main
from pairs.harness.registry import PAIRS


def test_list_names_every_pair(capsys):
    assert main(["list"]) == EXIT_OK
    out = capsys.readouterr().out
    assert all(name in out for name in PAIRS)


@pytest.mark.parametrize("width", [200, 80])
def test_show_prints_both_sides_section_by_section(capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["show", "mnist_mlp"]) == EXIT_OK
    out = capsys.readouterr().out
    for text in ("Training step", "Fit loop", "optimizer.zero_grad()", "def training_step(self", "pl.Trainer("):
        assert text in out
    stacked = "╭─ plain.py" in out
    assert stacked == (width < 150)  # narrow terminals stack the sides instead of squeezing them


def test_show_any_two_sides(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["show", "gan", "--sides", "plain,fabric"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "gan: plain vs fabric" in out and "import pytorch_lightning" not in out
    assert "fabric.setup(generator, g_opt)" in out and "d_loss.backward()" in out


def test_check_two_sides_compares_them_only(tmp_path: Path, capsys):
    out_json = tmp_path / "out.json"
    args = ["check", "gan", "--sides", "plain,fabric", "--max-steps", "20", "--root-dir", str(tmp_path)]
    assert main(args + ["--json", str(out_json)]) == EXIT_OK
    result = json.loads(out_json.read_text())
    assert result["sides"] == ["plain", "fabric"] and list(result["compared_with_reference"]) == ["fabric"]
    out = capsys.readouterr().out
    assert "identical, fabric" in out and "identical, lightning" not in out


@pytest.mark.parametrize("sides", ["plain,torch", "plain,plain", ","])
def test_bad_sides_are_a_usage_error(sides, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "gan", "--sides", sides])
    assert exit_.value.code == EXIT_USAGE
    assert "expected side names from plain, fabric, lightning" in capsys.readouterr().err


def test_check_needs_two_sides(capsys):
    assert main(["check", "gan", "--sides", "fabric"]) == EXIT_USAGE
    assert "name two sides or more" in one_line_error(capsys)


def test_show_one_side(capsys):
    assert main(["show", "mnist_mlp", "--plain"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "optimizer.zero_grad()" in out and "pl.Trainer(" not in out


def test_check_writes_json_plot_and_tensorboard(tmp_path: Path, capsys):
    out_json, plot, logdir = tmp_path / "out.json", tmp_path / "curves.png", tmp_path / "tb"
    args = ["check", "mnist_mlp", "--epochs", "2", "--root-dir", str(tmp_path / "runs")]
    code = main(args + ["--json", str(out_json), "--plot", str(plot), "--logdir", str(logdir)])
    assert code == EXIT_OK
    result = json.loads(out_json.read_text())
    assert result["pair"] == "mnist_mlp" and result["bitwise_equal"] is True and result["max_abs_diff"] == 0.0
    assert result["steps_compared"] == 2 * 63 and result["epochs"] == 2
    assert all(result["seconds"][side] > 0 for side in ("plain", "fabric", "lightning"))
    assert result["val_epochs"]["plain"] == result["val_epochs"]["fabric"] == result["val_epochs"]["lightning"]
    assert all(result["compared_with_reference"][side]["bitwise_equal"] for side in ("fabric", "lightning"))
    assert plot.read_bytes().startswith(b"\x89PNG")
    for side in ("plain", "fabric", "lightning"):
        assert list((logdir / "mnist_mlp" / side).glob("events.out.tfevents.*"))
    # The Lightning side wrote its own real logs and checkpoints under --root-dir.
    assert list((tmp_path / "runs").rglob("*.ckpt"))
    assert "bitwise" in capsys.readouterr().out


def test_tensorboard_events_hold_both_curves(tmp_path: Path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    main(
        ["check", "mnist_mlp", "--max-steps", "20", "--root-dir", str(tmp_path / "r"), "--logdir", str(tmp_path / "tb")]
    )
    curves = {}
    for side in ("plain", "fabric", "lightning"):
        events = EventAccumulator(str(tmp_path / "tb" / "mnist_mlp" / side))
        events.Reload()
        curves[side] = [e.value for e in events.Scalars("train/loss")]
    assert len(curves["plain"]) == 20 and curves["plain"] == curves["fabric"] == curves["lightning"]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    return err


def test_unknown_pair_is_one_line_with_a_hint(capsys):
    assert main(["check", "mnist_mpl"]) == EXIT_USAGE
    err = one_line_error(capsys)
    assert "unknown pair 'mnist_mpl'" in err and "did you mean 'mnist_mlp'" in err and err.count("\n") == 0


def test_unwritable_output_path_fails_before_training(tmp_path: Path, capsys):
    assert main(["check", "mnist_mlp", "--json", str(tmp_path / "missing" / "out.json")]) == EXIT_USAGE
    assert "does not exist" in one_line_error(capsys)
    assert main(["check", "mnist_mlp", "--plot", str(tmp_path)]) == EXIT_USAGE
    assert "is a directory" in one_line_error(capsys)


def test_check_needs_a_pair_or_all(capsys):
    assert main(["check"]) == EXIT_USAGE
    assert "--all" in one_line_error(capsys)


def test_bad_option_exits_2_without_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "pairs.harness.cli", "check", "mnist_mlp", "--epochs", "zero"], capture_output=True, text=True
    )
    assert proc.returncode == EXIT_USAGE and "Traceback" not in proc.stderr and "--epochs" in proc.stderr


def test_every_command_has_help():
    for command in ([], ["list"], ["show"], ["check"]):
        proc = subprocess.run([sys.executable, "-m", "pairs.harness.cli", *command, "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "usage: t2l" in proc.stdout


def test_gpu_without_a_gpu_is_a_usage_error(capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert main(["check", "mnist_mlp", "--accelerator", "gpu"]) == EXIT_USAGE
    assert "no CUDA GPU" in capsys.readouterr().err
