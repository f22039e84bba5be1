import torch
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


model = torch.nn.Linear(3, 1)
learning_rate = 1e-2


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 5."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, t, batch_idx):
        x = torch.randn(8, 3)
        loss = self.model(x).pow(2).sum()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = SGDAsWritten(self.model.parameters(), lr=learning_rate)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(50))
