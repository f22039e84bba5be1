import pytorch_lightning as pl
import torch


class Tagger(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.GRU(8, 8, batch_first=True)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.rnn(x)[0], y)
        self.log("train_loss", loss, on_epoch=True, sync_dist=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        err = (self.rnn(x)[0] - y).abs().max()
        # TODO(t2l): T2L970 self.log(sync_dist_op="max"): 2.x has no sync_dist_op and reduces across processes by the mean; reduce by hand with self.all_gather(...) before logging if the op matters
        self.log("val_max_error", err, sync_dist=True, sync_dist_op="max")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())
