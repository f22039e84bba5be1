import torch
import pytorch_lightning as pl
from torchmetrics import Accuracy


class CatsAndDogs(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.head = torch.nn.Linear(8, 1)
        self.train_acc = Accuracy()  # always fed sigmoid probabilities: binary, threshold 0.5, as 0.x read them
        self.valid_acc = Accuracy()
        self.logit_acc = Accuracy()  # fed raw logits once: 0.x's reading depended on the values, so marked

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self.head(x)
        scores = torch.sigmoid(logits)
        self.log("train_acc", self.train_acc(scores, y.int()))
        self.log("logit_acc", self.logit_acc(logits, y.int()))
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.valid_acc.update(self.head(x).sigmoid(), y.int())
