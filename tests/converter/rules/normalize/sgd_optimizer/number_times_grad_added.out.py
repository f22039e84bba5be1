import torch
import torch.nn.functional as F
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


fc = torch.nn.Linear(3, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 5."""

    def __init__(self, fc):
        super().__init__()
        self.fc = fc

    def training_step(self, step, batch_idx):
        x = torch.randn(8, 3)
        output = F.smooth_l1_loss(self.fc(x), x.sum(1, keepdim=True))
        self.log("train_loss", output, prog_bar=True)
        return output

    def configure_optimizers(self):
        optimizer = SGDAsWritten(self.fc.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(fc=fc)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(20))
