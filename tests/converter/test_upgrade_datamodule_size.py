"""`GAN(*dm.size())` (the 1.x GAN tutorial's shape) under the installed 2.x: 1.x's `LightningDataModule.size()` is
gone (AttributeError, the control); upgraded to `dm.dims` (T2L247) the script builds its model from the same shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "datamodule_size" / "gan_built_from_the_datamodule_dims.in.py"


def _run(source: str) -> dict:
    namespace: dict = {"load_cached": lambda frames: frames}
    exec(compile(source, "gan.py", "exec"), namespace)
    return namespace


def test_the_upgraded_script_builds_the_model_from_the_dims(capsys):
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and sum(f.code == "T2L247" for f in report.findings) == 4
    namespace = _run(upgraded.split("class Frames")[0])  # the part left as it is would fail as it does in 1.x code
    assert namespace["model"].generator.out_features == 1 * 28 * 28
    assert capsys.readouterr().out == "images of 28x28 1\n"


def test_control_size_is_gone_in_2x():
    with pytest.raises(AttributeError, match="size"):
        _run(CASE.read_text())
