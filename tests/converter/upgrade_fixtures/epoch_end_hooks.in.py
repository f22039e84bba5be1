# t2l-fixture: run
"""training/validation/test_epoch_end(outputs), training_step_end, track_grad_norm (T2L220, T2L221, T2L215)."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F

from tiny import loader


class Regressor(pl.LightningModule):
    """Logs epoch means computed from the step outputs, the 1.x way."""

    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return {"loss": F.mse_loss(self.layer(x), y), "size": len(x)}

    def training_step_end(self, step_output):
        step_output["loss"] = step_output["loss"] * 1.0
        return step_output

    def training_epoch_end(self, outputs):
        mean = torch.stack([o["loss"] for o in outputs]).mean()
        assert len(outputs) == 4 and not mean.requires_grad
        self.log("train_epoch_loss", mean)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.layer(x), y)
        return loss

    def validation_epoch_end(self, outputs):
        self.log("val_epoch_loss", torch.stack(outputs).mean())

    def test_step(self, batch, batch_idx):
        x, y = batch
        return {"error": (self.layer(x) - y).abs().mean()}

    def test_epoch_end(self, outputs):
        self.log("test_error", torch.stack([o["error"] for o in outputs]).mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)


trainer = pl.Trainer(max_epochs=2, track_grad_norm=2, num_sanity_val_steps=0)
model = Regressor()
trainer.fit(model, loader(), loader())
print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
assert {"train_epoch_loss", "val_epoch_loss", "grad_2.0_norm_total"} <= set(trainer.callback_metrics)
trainer.test(model, loader(), verbose=False)
assert "test_error" in trainer.logged_metrics
