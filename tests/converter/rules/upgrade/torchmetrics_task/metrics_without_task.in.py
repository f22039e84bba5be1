import pytorch_lightning as pl
import torch
import torchmetrics
from torchmetrics import Accuracy, ConfusionMatrix, MeanSquaredError


class Classifier(pl.LightningModule):
    def __init__(self, num_classes=10):
        super().__init__()
        self.layer = torch.nn.Linear(8, num_classes)
        self.train_acc = Accuracy(num_classes=num_classes)
        self.val_f1 = torchmetrics.F1Score(num_classes=num_classes, average="macro")
        self.confusion = ConfusionMatrix(num_classes=num_classes)
        self.binary_acc = Accuracy()
        self.mse = MeanSquaredError()
        self.new_style = Accuracy(task="multiclass", num_classes=num_classes)
