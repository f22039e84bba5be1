# t2l-fixture: run
"""training/validation/test_epoch_end(outputs), training_step_end, track_grad_norm (T2L220, T2L221, T2L215)."""
import pytorch_lightning as pl
from pytorch_lightning.utilities import grad_norm
import torch
import torch.nn.functional as F

from tiny import loader


class Regressor(pl.LightningModule):
    """Logs epoch means computed from the step outputs, the 1.x way."""

    def __init__(self):
        super().__init__()
        self.training_step_outputs = []
        self.validation_step_outputs = []
        self.test_step_outputs = []
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return self._training_step_end({"loss": F.mse_loss(self.layer(x), y), "size": len(x)})

    def _training_step_end(self, step_output):
        step_output["loss"] = step_output["loss"] * 1.0
        return step_output

    def on_train_batch_end(self, outputs, batch, batch_idx):
        self.training_step_outputs.append(outputs)

    def on_train_epoch_end(self):
        outputs = self.training_step_outputs  # what training_step returned this epoch
        self.training_step_outputs = []
        mean = torch.stack([o["loss"] for o in outputs]).mean()
        assert len(outputs) == 4 and not mean.requires_grad
        self.log("train_epoch_loss", mean)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.layer(x), y)
        return loss

    def on_validation_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.validation_step_outputs.append(outputs)

    def on_validation_epoch_end(self):
        outputs = self.validation_step_outputs  # what validation_step returned this epoch
        self.validation_step_outputs = []
        self.log("val_epoch_loss", torch.stack(outputs).mean())

    def test_step(self, batch, batch_idx):
        x, y = batch
        return {"error": (self.layer(x) - y).abs().mean()}

    def on_test_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.test_step_outputs.append(outputs)

    def on_test_epoch_end(self):
        outputs = self.test_step_outputs  # what test_step returned this epoch
        self.test_step_outputs = []
        self.log("test_error", torch.stack([o["error"] for o in outputs]).mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)

    def on_before_optimizer_step(self, optimizer):
        # t2l T2L215: replaces Trainer(track_grad_norm=2)
        self.log_dict(grad_norm(self, norm_type=2))


trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0)
model = Regressor()
trainer.fit(model, loader(), loader())
print({k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
assert {"train_epoch_loss", "val_epoch_loss", "grad_2.0_norm_total"} <= set(trainer.callback_metrics)
trainer.test(model, loader(), verbose=False)
assert "test_error" in trainer.logged_metrics
