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


g = torch.Generator().manual_seed(0)
X, Y = torch.randn(64, 3, generator=g), torch.randint(0, 4, (64,), generator=g)
W = torch.randn((3, 4), generator=g)
b = torch.zeros(4)
parameters = [W, b]
for p in parameters:
    p.requires_grad = True


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, b):
        super().__init__()
        self.b = b

    def training_step(self, i, batch_idx):
        ix = torch.randint(0, X.shape[0], (8,))
        loss = F.cross_entropy(X[ix] @ W + self.b, Y[ix])
        lr = 0.1 if i < 10 else 0.01; self.optimizers().param_groups[0]["lr"] = lr
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = SGDAsWritten(parameters, lr=0.0)  # its rate set each step, where the script sets `lr`
        return optimizer


lit_model = LitModel(b=b)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(20))
