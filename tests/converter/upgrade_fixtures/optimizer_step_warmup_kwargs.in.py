# t2l-fixture: run
"""A warm-up in optimizer_step on 1.x's signature, written over two lines with a trailing comma, `**kwargs` after
it, and a step-scheduled rate after the step (T2L244): the upgraded module trains under 2.x."""
import pytorch_lightning as pl
import torch

from tiny import loader


class WarmedUp(pl.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.lr = lr
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, optimizer_closure,
                       on_tpu=False, using_native_amp=False, using_lbfgs=False, **kwargs):
        if self.trainer.global_step < 3:
            for group in optimizer.param_groups:
                group["lr"] = self.lr * (self.trainer.global_step + 1) / 3
        optimizer.step(closure=optimizer_closure)
        if self.trainer.global_step > 6:
            for group in optimizer.param_groups:
                group["lr"] = 0.1 * self.lr


model = WarmedUp()
trainer = pl.Trainer(max_epochs=3, logger=False, enable_checkpointing=False)
trainer.fit(model, train_dataloaders=loader())
assert trainer.global_step == 12 and trainer.optimizers[0].param_groups[0]["lr"] == 0.1 * model.lr
