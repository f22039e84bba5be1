import pytorch_lightning as pl
import torch.nn as nn
import torch.nn.functional as F
from torchmetrics import Accuracy


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x.flatten(1)))
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


class Classifier(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.model = Net()
        self.val_acc = Accuracy()

    def forward(self, x):
        return self.model(x)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.nll_loss(logits, y))
        self.log("val_acc", self.val_acc(logits, y))


class PluggableClassifier(Classifier):
    def __init__(self, model=None):
        super().__init__()
        self.backbone = model or Net()
        self.test_acc = Accuracy()

    def test_step(self, batch, batch_idx):
        x, y = batch
        logits = self.backbone(x)
        loss = F.cross_entropy(logits, y)
        self.test_acc.update(logits, y)
        return loss
