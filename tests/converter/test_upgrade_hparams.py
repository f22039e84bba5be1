"""`self.hparams = hparams` (0.x/1.0's way to keep hyperparameters) under the installed 2.x: the 1.x module cannot
even be built (2.x's `hparams` has no setter); upgraded to `self.save_hyperparameters(hparams)` (T2L245) it is, and
`self.hparams` reads as the setter left it. The run fixture `upgrade_fixtures/hparams_setter.in.py` trains it and
checks the checkpoint keeps the hyperparameters."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from converter.upgrade import upgrade_source

CASE = Path(__file__).parent / "rules" / "upgrade" / "hparams" / "hparams_namespace_assigned_in_init.in.py"


def _build(source: str):
    namespace: dict = {}
    exec(compile(source, "classifier.py", "exec"), namespace)
    return namespace["Classifier"](Namespace(in_features=4, classes=3, lr=0.01))


def test_the_upgraded_module_keeps_its_hyperparameters():
    upgraded, report = upgrade_source(CASE.read_text())
    assert upgraded is not None and [f.code for f in report.findings] == ["T2L245"]
    model = _build(upgraded)
    assert model.hparams.lr == 0.01 and dict(model.hparams) == {"in_features": 4, "classes": 3, "lr": 0.01}
    assert model.configure_optimizers().param_groups[0]["lr"] == 0.01


def test_control_the_1x_module_cannot_be_built_under_2x():
    with pytest.raises(AttributeError, match="hparams"):
        _build(CASE.read_text())
