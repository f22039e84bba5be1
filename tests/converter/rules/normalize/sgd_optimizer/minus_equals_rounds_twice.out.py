import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class SGDAsWritten(torch.optim.SGD):
    """torch.optim.SGD whose step is the script's own update, `p -= lr * p.grad`: the product is rounded before it
    is subtracted (SGD's `p.add_(p.grad, alpha=-lr)` rounds once, and the weights would differ in the last bit).
    Written by `t2l convert` (T2L131)."""

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(group["lr"] * p.grad)
        return loss


model = torch.nn.Linear(4, 1)
lr = 0.1
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, lr):
        super().__init__()
        self.model = model
        self.lr = lr

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = SGDAsWritten(self.model.parameters(), lr=self.lr)
        return optimizer

    def on_train_epoch_end(self):
        self.lr *= 0.5; self.optimizers().param_groups[0]["lr"] = self.lr


lit_model = LitModel(model=model, lr=lr)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
