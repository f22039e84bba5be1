"""The learning-rate warm-up of 1.x's docs, on 1.2-1.9's signature (defaults on every parameter)."""
import pytorch_lightning as pl
import torch


class WarmedUp(pl.LightningModule):
    def __init__(self, lr=0.1, warmup_steps=4):
        super().__init__()
        self.lr, self.warmup_steps = lr, warmup_steps
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        (x,) = batch
        return self.layer(x).pow(2).mean()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_closure=None):
        if self.trainer.global_step < self.warmup_steps:
            scale = min(1.0, float(self.trainer.global_step + 1) / self.warmup_steps)
            for group in optimizer.param_groups:
                group["lr"] = scale * self.lr
        optimizer.step(closure=optimizer_closure)


def train(loader, steps=6):
    model = WarmedUp()
    trainer = pl.Trainer(max_steps=steps, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False)
    trainer.fit(model, loader)
    return model
