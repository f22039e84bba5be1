import pytorch_lightning as pl
import torch


class ScoreNormalizer(pl.Callback):
    def on_validation_batch_end(self, _trainer, pl_module, outputs, _batch, _batch_idx, _dataloader_idx=0):
        pl_module.scores.append(outputs["score"])

    def on_test_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        pl_module.scores.append(outputs["score"])


class Tracked(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.seen = []

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).pow(2).mean()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)

    def on_train_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.seen.append((batch_idx, dataloader_idx))
