import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        loss = self.layer(batch).pow(2).mean()
        logs = {"train_loss": loss}
        return {"loss": loss, "log": logs, "progress_bar": {"train_loss": loss, "scale": batch.abs().max()}}

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
