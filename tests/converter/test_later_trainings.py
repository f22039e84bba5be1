"""Trainings one after another in one script (a teacher, then a student distilled from it) each become a
LightningModule and a Trainer of their own, and the converted script prints what the original printed.

`--verify` (the fixture's slow test) compares every loss of the three trainings. What they print (each epoch's
mean loss, from on_train_epoch_end) is compared here; the control is the converted script with the distillation's
`teacher.eval()` made `teacher.train()`: the teacher's dropout is on while it teaches, and the distillation's
losses are no longer the original's. Lightning leaves a submodule in eval mode through fit, as the loop did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import printed_lines

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge_distillation_teacher_then_student"


def test_each_training_gets_a_module_and_a_trainer_and_no_mark():
    output, report = convert_source(FIXTURE.with_suffix(".in.py").read_text(), "kd.py")
    assert output is not None and not report.todos
    assert output.count("(pl.LightningModule):") == 2  # `train` (called twice) and the distillation
    assert output.count(".fit(lit_model") == 2 and "for inputs, labels in train_loader" not in output.split("def test(")[0]


@pytest.mark.slow  # three scripts run (about 30 s): .ci/run's slow step runs it
def test_the_three_trainings_print_what_the_original_printed(tmp_path):
    original = FIXTURE.with_suffix(".in.py").read_text()
    converted = FIXTURE.with_suffix(".out.py").read_text()
    assert converted.count("    teacher.eval()\n") == 1
    control = converted.replace("    teacher.eval()\n", "    teacher.train()\n")
    runs = printed_lines({"original": original, "converted": converted, "control": control}, tmp_path, prefix="Epoch ")
    printed = {name: [line for line in lines if ", Loss: " in line] for name, lines in runs.items()}  # not the bar
    assert len(printed["original"]) == 6  # two epochs each: the teacher, the student, the distilled student
    assert printed["converted"] == printed["original"]
    assert printed["control"][:4] == printed["original"][:4] and printed["control"][4:] != printed["original"][4:]
