import pytorch_lightning as pl
import torch


class Counter(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.training_step_outputs = []
        self.net = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        return self.net(batch[0]).pow(2).mean()

    def on_train_batch_end(self, outputs, batch, batch_idx):
        self.training_step_outputs.append(outputs)

    def on_train_epoch_end(self):
        outputs = self.training_step_outputs  # what training_step returned this epoch
        self.training_step_outputs = []
        losses = [o["loss"] for o in outputs]
        self.log("epoch_loss", torch.stack(losses).mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
