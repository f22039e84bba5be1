import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 3), torch.randn(32, 1)), batch_size=4)
best, bad = float("inf"), 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, bad, best, model):
        super().__init__()
        self.bad = bad
        self.best = best
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        # TODO(t2l): T2L911 `break` on `not (loss.item() < best or epoch == 0) and bad >= 3` (line 19) dropped; stop with a Trainer limit or an EarlyStopping callback
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        if loss.item() < self.best or self.current_epoch == 0:
            self.best, self.bad = loss.item(), 0
        else:
            self.bad += 1
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(bad=bad, best=best, model=model)
trainer = pl.Trainer(max_epochs=5, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
