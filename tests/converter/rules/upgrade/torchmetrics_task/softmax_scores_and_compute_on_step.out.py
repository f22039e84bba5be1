import pytorch_lightning as pl
import torch
# TODO(t2l): T2L960 the installed Lightning 2.x rejects this: `torchmetrics` has no `F1` in the installed torchmetrics (Lightning 2.x needs >= 0.11)
from torchmetrics import Accuracy, F1


class Finetuner(pl.LightningModule):
    def __init__(self, backbone, num_classes: int = 10):
        super().__init__()
        self.head = torch.nn.Linear(backbone.dim, num_classes)
        self.train_acc = Accuracy(task="multiclass", num_classes=num_classes)  # fed softmax scores, in the __init__ that takes num_classes: multiclass
        self.val_acc = Accuracy(task="multiclass", num_classes=num_classes)  # no call's result used: compute_on_step dropped
        # TODO(t2l): T2L965 compute_on_step= was removed from torchmetrics: forward now always returns the batch's value; drop it and check what reads the result
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
