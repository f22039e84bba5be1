"""Gradients accumulated over a micro-step loop inside the step loop (lucidrains', nanoGPT's, MAML's meta-batch):
the loops merge into one over micro-batches, the step at each window's end (converter/convert/normalize/micro_steps.py,
T2L174). What the merge keeps and where it declines; the converted scripts verify bitwise, each beside a control."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.normalize import Text, micro_steps
from converter.report import CONVERTED
from tests.converter.fixtures import named, verify_beside_control

LOOP = """\
import torch
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3, 9):
    model.train()
    optimizer.zero_grad()
    for micro in range(K):
        loss = model(torch.randn(2, 4)).pow(2).mean() / K
        loss.backward()
    optimizer.step()
    print(step, micro, loss.item())
"""


def merged(source: str) -> str | None:
    result = micro_steps.normalize(Text(source, "train.py"))
    return result.source if result is not None else None


def test_the_loops_merge_and_every_line_maps_back_to_the_input():
    result = micro_steps.normalize(Text(LOOP, "train.py"))
    assert result is not None and result.code == "T2L174" and result.line == 4
    lines = result.source.splitlines()
    assert lines[3] == "for micro_batch in range(3 * K, 9 * K):"
    assert lines[4:7] == ["    step = micro_batch // K", "    if micro_batch % K == 0:", "        model.train()"]
    assert "    micro = micro_batch % K" in lines and "    if (micro_batch + 1) % K == 0:" in lines
    assert "        print(step, micro, loss.item())" in lines
    original = LOOP.splitlines()
    for number, line in enumerate(lines, start=1):  # each line comes from the input line it rewrites
        source_line = original[result.original_line(number) - 1].strip()
        assert line.strip() in source_line or source_line.startswith(("for ", "model.train", "optimizer.step")), (line, source_line)


def test_a_bar_bound_to_a_name_has_its_range_scaled_where_it_is_built():
    source = LOOP.replace("for step in range(3, 9):", "bar = tqdm(range(3, 9))\nfor step in bar:")
    lines = merged(source).splitlines()  # type: ignore[union-attr]
    assert lines[3:5] == ["bar = tqdm(range(3 * K, 9 * K))", "for micro_batch in bar:"]
    assert merged(source.replace("for step in bar:", "bar = tqdm(range(2))\nfor step in bar:")) is None  # bound twice


@pytest.mark.parametrize("change", [
    ("        loss.backward()\n", "        loss.backward()\n        if loss.item() > 9:\n            break\n"),  # a window cut short
    ("    optimizer.zero_grad()\n", "    optimizer.zero_grad()\n    K = K + 1\n"),  # K bound in the loop
    ("range(3, 9)", "range(3, 9, 2)"),  # a range with a step
    ("    model.train()\n", "    if step > 5:\n        continue\n"),  # an iteration skipped before its micro-steps
    ("    print(step", '    print("""a\n""", step'),  # a string over two lines that would move one level in
], ids=["break", "K rebound", "range step", "continue", "multiline string"])  # fmt: skip
def test_the_merge_declines_where_a_window_is_not_k_micro_batches_or_a_line_cannot_move(change):
    assert merged(LOOP) is not None
    assert merged(LOOP.replace(*change)) is None


def test_a_break_at_a_window_s_start_ends_both_loops_alike():
    """nanoGPT's `if iter_num == 0 and eval_only: break` before the micro-steps: the merged loop breaks at the same
    micro-batch (a `continue` there would skip one micro-batch instead of the window: declined above)."""
    source = LOOP.replace("    model.train()\n", "    if step > 5:\n        break\n")
    lines = merged(source).splitlines()  # type: ignore[union-attr]
    assert lines[5:8] == ["    if micro_batch % K == 0:", "        if step > 5:", "            break"]


def test_the_window_start_s_state_is_bound_before_the_loop():
    """A total reset when a window starts and summed by its micro-batches outlives one training step."""
    source = LOOP.replace("    model.train()\n", "    total = 0.0\n").replace("        loss.backward()\n",
                                                                           "        loss.backward()\n        total += loss.item()\n")  # fmt: skip
    lines = merged(source).splitlines()  # type: ignore[union-attr]
    assert lines[3].startswith("total = None  # bound when a window of micro-batches starts")


MAML = Path(__file__).parent / "fabric_fixtures" / "maml_meta_learning.in.py"


@pytest.mark.slow  # two verify runs (about 20 s)
def test_maml_converts_as_micro_batches(tmp_path):
    """MAML's meta-batch (a backward per task, the gradients scaled by hand, one step) was declined, T2L919. It
    converts: each task a training step, zero_grad when a window starts. The control zeroes the gradients every
    task: only the last task's gradient is stepped and the losses differ from the second window."""
    output, report = convert_source(MAML.read_text(), MAML.name)
    assert report.status == CONVERTED and "T2L174" in {f.code for f in report.findings}
    start = "        if micro_batch % self.args.meta_batch_size == 0:\n            opt.zero_grad()\n"
    assert start in output
    results = verify_beside_control(MAML, output, output.replace(start, "        opt.zero_grad()\n"), 20, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 80  # 20 steps of 4 tasks
    assert results["control"].failed is None and results["control"].first_difference == 4  # window 2's first task


CYCLED = named("micro_steps_over_a_cycled_loader_evaluated_every_n")


@pytest.mark.slow  # two verify runs (about 20 s)
def test_a_printed_sample_stays_because_its_draws_shift_the_batches_after_it(tmp_path):
    """`print(model.sample(prime, 12).tolist())` draws from the RNG; the print was removed as a metric's and every
    batch after the first sample came from other random windows. It stays (T2L113 says why); the control removes
    it, and the losses differ from the window after it."""
    output = CYCLED.expected.read_text()
    printed = "                print(self.model.sample(prime, 12).tolist())\n"
    assert printed in output
    results = verify_beside_control(CYCLED.input, output, output.replace(printed, ""), 48, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 48
    assert results["control"].failed is None and results["control"].first_difference == 4  # step 1's first micro-batch


CASES = sorted((Path(__file__).parent / "rules" / "normalize" / "micro_steps").glob("*.in.py"))


@pytest.mark.slow  # two verify runs a case (about 15 s each)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".in.py"))
def test_each_rule_case_verifies_and_its_window_matters(case, tmp_path):
    """Each merged loop verifies bitwise against its input; the control steps at every micro-batch (the window's
    `if` made `if True:`) and differs from the second loss on."""
    converted = case.with_name(case.name.replace(".in.py", ".out.py")).read_text()
    window = next(line for line in converted.splitlines() if line.strip().startswith("if (micro_batch + 1) %"))
    control = converted.replace(window, window[: len(window) - len(window.lstrip())] + "if True:")
    results = verify_beside_control(case, converted, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared >= 12
    assert results["control"].failed is None and results["control"].first_difference == 1
