import pytorch_lightning as pl
import torch


class Tagger(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.GRU(8, 8, batch_first=True)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.rnn(x)[0], y)
        self.log("train_loss", loss, on_epoch=True, sync_dist=True, sync_dist_op="mean", tbptt_reduce_fx=torch.mean)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        err = (self.rnn(x)[0] - y).abs().max()
        self.log("val_max_error", err, sync_dist=True, sync_dist_op="max")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())
