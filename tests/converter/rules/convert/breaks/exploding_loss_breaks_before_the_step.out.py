import torch
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(256, 4)
y = x.sum(1, keepdim=True)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8)
model = torch.nn.Linear(4, 1)
best, rates = float("inf"), []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, best, model):
        super().__init__()
        self.best = best
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        if loss.item() > 4 * self.best:
            print(f"stopped at batch {i}: loss {loss.item():.4g} exploded")
            self.trainer.should_stop = True
            return None
        self.best = min(self.best, loss.item())
        rates.append(self.optimizers().param_groups[0]["lr"])
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, i):
        self.optimizers().param_groups[0]["lr"] *= 1.6

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-3)
        return optimizer


lit_model = LitModel(best=best, model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(f"stopped after {len(rates)} rates, the best loss {lit_model.best:.6g}")
