"""Dive into Deep Learning's training functions test their arguments: `if isinstance(updater,
torch.optim.Optimizer):` (a hand-written updater otherwise), `if isinstance(net, torch.nn.Module): net.train()`. With
both branches the loop called backward twice (manual optimization) or stepped a name the rules could not follow
(declined, T2L908). The type_tests normalizer (T2L165) keeps the branch the script's own values take, only where
every value the name can hold is sure; the fixture d2l_train_epoch_isinstance_branches verifies bitwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.convert.normalize import Text, type_tests
from tests.converter.fixtures import named, verify_control

D2L = named("d2l_train_epoch_isinstance_branches")
CASE = Path(__file__).parent / "rules" / "normalize" / "type_tests" / "optimizer_or_updater_branch.in.py"


def test_the_optimizer_branch_is_kept_and_the_step_is_lightning_s():
    output, report = convert_source(D2L.input.read_text(), D2L.input.name)
    assert "T2L165" in {f.code for f in report.findings} and not report.todos
    assert "isinstance(" not in output.split("class LitModel")[1].split("def train_ch3")[0]
    assert "manual_backward" not in output and "automatic_optimization" not in output
    assert "loss_1 = l.mean()" in output and "def configure_optimizers(self):\n        return self.updater" in output


def test_a_function_of_the_script_takes_the_else_branch():
    source = CASE.read_text().replace("trainer = torch.optim.SGD(net.parameters(), lr=0.1)",
                                      "def trainer(batch_size):\n    pass")  # fmt: skip
    normalized = type_tests.normalize(Text(source, "case.py"))
    assert normalized is not None
    assert "updater.step()" not in normalized.source and "        updater(X.shape[0])\n" in normalized.source
    assert "isinstance(updater" not in normalized.source and "isinstance(net, nn.Module)" not in normalized.source
    assert "net.train()" in normalized.source  # the module branch: `net` is still nn.Linear


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda s: s + "steps = [train_epoch]\n", "the function passed around: calls not seen may hand in anything"),
        (lambda s: s.replace("trainer = torch.optim.SGD(net.parameters(), lr=0.1)", "trainer = make(net)"),
         "a value built by a function of the script"),
        (lambda s: s.replace("for epoch in range(2):", "def reset():\n    global trainer\n    trainer = None\n\n\nfor epoch in range(2):"),
         "a function may set the module's name"),
        (lambda s: s + "train_epoch(net, loader, nn.CrossEntropyLoss(reduction='none'), print)\n",
         "a call handing in something else"),
        (lambda s: s.replace("trainer = torch.optim.SGD(net.parameters(), lr=0.1)",
                             "trainer = torch.optim.SGD(net.parameters(), lr=0.1)\ntrainer = trainer"),
         "the name set twice"),
    ],  # fmt: skip
)
def test_an_answer_that_is_not_sure_leaves_the_test(change, why):
    source = CASE.read_text()
    changed = change(source)
    assert changed != source
    assert "isinstance(updater" not in type_tests.normalize(Text(source, "case.py")).source
    normalized = type_tests.normalize(Text(changed, "case.py"))
    assert normalized is None or "isinstance(updater, torch.optim.Optimizer)" in normalized.source, why


@pytest.mark.slow  # a whole --verify run
def test_the_branch_not_taken_fails_the_verification(tmp_path: Path):
    """Negative control: the other branch's loss (summed, not averaged) is caught, loss by loss."""
    result = verify_control(D2L, lambda output: output.replace("loss_1 = l.mean()", "loss_1 = l.sum()"), tmp_path)
    assert result.failed is None and not result.bitwise_equal


def test_a_fold_that_leaves_a_name_set_once_answers_the_next_test():
    """d2l's train_ch8: `if isinstance(net, nn.Module): updater = torch.optim.SGD(...)`, then `updater` handed to
    train_epoch_ch8, which tests it: the first fold leaves `updater` set once, and the second pass answers that."""
    source = named("d2l_rnn_grad_clipping_function").input.read_text()
    normalized = type_tests.normalize(Text(source, "d2l.py"))
    assert normalized is not None
    assert "isinstance(updater" not in normalized.source and "isinstance(net, nn.Module):" not in normalized.source
    assert "    updater = torch.optim.SGD(net.parameters(), lr)\n" in normalized.source
    assert "isinstance(net, nn.Module) and not isinstance(state, tuple)" in normalized.source  # `state`: not sure


def test_a_test_nested_in_an_answered_test_is_answered_in_the_same_pass():
    source = CASE.read_text().replace(
        "    if isinstance(net, nn.Module):\n        net.train()\n",
        "    if isinstance(net, nn.Module):\n        if isinstance(updater, torch.optim.Optimizer):\n            net.train()\n")
    assert source != CASE.read_text()
    folded = type_tests._answered(Text(source, "case.py"))
    assert folded is not None and "isinstance(" not in folded.source.split("for X, y in loader")[0]
    assert "def train_epoch(net, loader, loss, updater):\n    net.train()\n" in folded.source
