import pytorch_lightning as pl
import torch
from torchmetrics import Accuracy, F1


class Finetuner(pl.LightningModule):
    def __init__(self, backbone, num_classes: int = 10):
        super().__init__()
        self.head = torch.nn.Linear(backbone.dim, num_classes)
        self.train_acc = Accuracy()  # fed softmax scores, in the __init__ that takes num_classes: multiclass
        self.val_acc = Accuracy(compute_on_step=False)  # no call's result used: compute_on_step dropped
        self.val_f1 = F1(compute_on_step=False)  # its result is logged: marked

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self.head(x)
        self.log("train_acc", self.train_acc(logits.softmax(-1), y))
        return torch.nn.functional.cross_entropy(logits, y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        scores = torch.softmax(self.head(x), dim=-1)
        self.val_acc(scores, y)
        self.log("val_f1", self.val_f1(scores, y))
