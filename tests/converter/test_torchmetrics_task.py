"""T2L230 adds only `task="multiclass"`: the factory keeps "micro" (the share of correct predictions), which is
what 1.x-era `Accuracy(num_classes=N)` computed; the multiclass class itself would average per class ("macro")."""

from __future__ import annotations

import pytest
import torch
from torchmetrics import Accuracy
from torchmetrics.classification import MulticlassAccuracy

from converter.upgrade import upgrade_source

TARGET = torch.tensor([0, 0, 0, 0, 0, 0, 1, 2])
PREDS = torch.tensor([0, 0, 0, 0, 0, 0, 2, 2])  # class 1 never right: a per-class mean weighs it like class 0


def test_the_task_factory_keeps_the_share_correct_the_multiclass_class_does_not():
    correct = (PREDS == TARGET).float().mean()
    assert Accuracy(task="multiclass", num_classes=3)(PREDS, TARGET) == correct
    assert MulticlassAccuracy(num_classes=3)(PREDS, TARGET) != correct


def test_upgraded_metric_is_built_and_computes_the_share_correct():
    source = "import pytorch_lightning as pl\nfrom torchmetrics import Accuracy\nacc = Accuracy(num_classes=3)\n"
    output, report = upgrade_source(source)
    assert [f.code for f in report.findings] == ["T2L230"]
    namespace: dict = {}
    exec(compile(output, "upgraded.py", "exec"), namespace)  # raises on torchmetrics >= 0.11 without task=
    assert namespace["acc"](PREDS, TARGET) == (PREDS == TARGET).float().mean()


def test_sigmoid_fed_metric_becomes_binary_and_thresholds_at_one_half():
    """0.x read float predictions shaped like int targets as binary, threshold 0.5: what task="binary" does.
    The scores sit on both sides of 0.5, and a 0.4 (wrong if thresholded at 0.3) keeps the threshold honest."""
    source = ("import torch\nimport pytorch_lightning as pl\nfrom torchmetrics import Accuracy\nacc = Accuracy()\n"
              "def step(logits, y):\n    scores = torch.sigmoid(logits)\n    return acc(scores, y)\n")  # fmt: skip
    output, report = upgrade_source(source)
    assert [f.code for f in report.findings] == ["T2L233"]
    namespace: dict = {}
    exec(compile(output, "upgraded.py", "exec"), namespace)
    scores = torch.tensor([[0.9], [0.4], [0.6], [0.1]])
    target = torch.tensor([[1], [0], [0], [0]])
    assert namespace["step"](torch.logit(scores), target) == ((scores > 0.5).int() == target).float().mean() == 0.75


SOFTMAX_FED = ("import torch\nimport pytorch_lightning as pl\nfrom torchmetrics import Accuracy\n"
               "class Finetuner(pl.LightningModule):\n"
               "    def __init__(self, num_classes=3):\n"
               "        super().__init__()\n"
               "        self.val_acc = Accuracy(compute_on_step=False)\n"
               "    def validation_step(self, logits, y):\n"
               "        self.val_acc(logits.softmax(-1), y)\n")  # fmt: skip


def test_softmax_fed_metric_takes_the_class_count_it_was_built_with_and_a_wrong_count_raises():
    """0.x read (N, C) scores with int targets as multiclass, the share whose argmax is right; the upgrade uses
    the num_classes the model was built with, and torchmetrics checks it against the scores (never silent)."""
    output, report = upgrade_source(SOFTMAX_FED)
    assert sorted(f.code for f in report.findings) == ["T2L234", "T2L235"]
    namespace: dict = {}
    exec(compile(output, "upgraded.py", "exec"), namespace)
    logits, target = torch.tensor([[2.0, 0.1, 0.3], [0.2, 0.1, 3.0], [0.1, 2.0, 0.0], [1.0, 0.0, 0.5]]), torch.tensor([0, 2, 0, 0])
    model = namespace["Finetuner"](num_classes=3)
    model.validation_step(logits, target)
    assert model.val_acc.compute() == (logits.argmax(-1) == target).float().mean() == 0.75
    with pytest.raises(ValueError, match="num_classes|shape"):
        wrong = namespace["Finetuner"](num_classes=5)
        wrong.validation_step(logits, target)


NET = '''import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.fc2(x){after}
        return F.log_softmax(x, dim=1)
'''
CLASSIFIER = '''import pytorch_lightning as pl
import torch.nn.functional as F
from torchmetrics import Accuracy

from project.models.net import Net


class Classifier(pl.LightningModule):
    def __init__(self, model=None):
        super().__init__()
        self.model = model or Net()
        self.test_acc = Accuracy()

    def forward(self, x):
        return self.model(x)

    def test_step(self, batch, batch_idx):
        x, y = batch
        logits = self.forward(x)
        self.log("test_acc", self.test_acc(logits, y))
        return F.nll_loss(logits, y)
'''


def _project(tmp_path, after: str = ""):
    """project/models/net.py (the model) and project/train.py (the module that scores it), as in Lightning 1.5's
    MNIST examples; the upgrade reads net.py through train.py's import."""
    (tmp_path / "project" / "models").mkdir(parents=True)
    for package in ("project", "project/models"):
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "project" / "models" / "net.py").write_text(NET.format(after=after))
    train = tmp_path / "project" / "train.py"
    train.write_text(CLASSIFIER)
    return train


def test_class_count_read_from_the_default_models_last_layer_in_another_file(tmp_path, monkeypatch):
    train = _project(tmp_path)
    output, report = upgrade_source(train.read_text(), str(train))
    assert 'Accuracy(task="multiclass", num_classes=3)' in output
    assert [f.code for f in report.findings if f.code.startswith("T2L96")] == ["T2L966"]  # a default: marked
    assert "net.py:9 (Net.fc2)" in report.findings[-1].message
    train.write_text(output)
    monkeypatch.syspath_prepend(str(tmp_path))
    from project.train import Classifier  # the upgraded module imports and scores on the installed 2.x

    module = Classifier()
    x, y = torch.randn(6, 16), torch.tensor([0, 1, 2, 0, 1, 2])
    logits = module(x)
    assert module.test_acc(logits, y) == (logits.argmax(1) == y).float().mean()  # 0.x's share correct
    with pytest.raises(ValueError):  # another model with another class count: loud, never a silent change
        module.test_acc(torch.randn(6, 5), y)


@pytest.mark.parametrize("after", ["\n        x = x[:, :2]", "\n        x = x.flip(1)"])
def test_class_count_not_guessed_when_anything_follows_the_last_layer(tmp_path, after):
    train = _project(tmp_path, after)
    output, report = upgrade_source(train.read_text(), str(train))
    assert "T2L961" in {f.code for f in report.findings} and "self.test_acc = Accuracy()\n" in output
