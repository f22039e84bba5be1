import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    # TODO(t2l): T2L968 2.x ignores a returned 'progress_bar' dict: add prog_bar=True to the self.log of the keys 1.x showed there (its keys may repeat the logged ones, and one key logged twice with other arguments is an error)
    def training_step(self, batch, batch_idx):
        loss = self.layer(batch).pow(2).mean()
        logs = {"train_loss": loss}
        self.log_dict(logs)
        return {"loss": loss}

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
