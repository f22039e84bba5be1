"""`--to fabric` marks the methods of the model that the script calls on the set-up model and that run its layers
(`model.mark_forward_method("generate")`, T2L333): on one device nothing changes, but under DDP Fabric raises on an
unmarked one (nanoGPT's `model.generate(...)` after training). Proved by running the converted script under real DDP
(gloo, two CPU processes), and its control without the mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.fabric import convert_to_fabric
from tests.converter.ddp_runs import run_under_ddp

CASE = Path(__file__).parent / "rules" / "fabric" / "forward_methods" / "generate_called_after_training"
MARK = 'model.mark_forward_method("generate")\n'


def test_only_the_method_that_runs_the_layers_is_marked():
    output, report = convert_to_fabric(CASE.with_suffix(".in.py").read_text())
    assert output.count("mark_forward_method") == 1 and MARK in output  # not `describe`, which runs no layer
    assert output.index("model, optimizer = fabric.setup(model, optimizer)\n") < output.index(MARK)
    assert [f.code for f in report.findings].count("T2L333") == 1


def test_a_method_two_classes_define_differently_or_called_before_the_set_up_is_not_marked():
    source = CASE.with_suffix(".in.py").read_text()
    other = "class Other:\n    def generate(self, idx, steps):\n        return idx\n\n\n"
    assert "mark_forward_method" not in convert_to_fabric(source.replace("model = TinyLM()", other + "model = TinyLM()"))[0]
    last = "print(model.generate(torch.zeros(1, 1, dtype=torch.long), 4).tolist(), model.describe())\n"
    first = "print(model.generate(torch.zeros(1, 1, dtype=torch.long), 4).tolist())\n"
    moved = source.replace(last, "").replace("print(model.describe())\n", first)
    assert moved.count("generate(torch") == 1 and "mark_forward_method" not in convert_to_fabric(moved)[0]


@pytest.mark.slow  # two DDP runs of two processes (about 30 s)
def test_the_marked_method_runs_under_ddp_and_the_unmarked_one_raises(tmp_path):
    output, _ = convert_to_fabric(CASE.with_suffix(".in.py").read_text())
    marked = run_under_ddp(tmp_path, output)
    assert marked.returncode == 0, marked.stderr[-2000:]
    unmarked = run_under_ddp(tmp_path, output.replace(MARK, ""))
    assert unmarked.returncode != 0 and "mark_forward_method('generate')" in unmarked.stderr
