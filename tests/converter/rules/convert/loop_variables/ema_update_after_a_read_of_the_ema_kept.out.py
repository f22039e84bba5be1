import copy

import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
ema_model = copy.deepcopy(model)
train_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
val_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 13."""

    def __init__(self, model, ema_model, val_loader):
        super().__init__()
        self.model = model
        self.ema_model = ema_model
        self.val_loader = val_loader

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total = 0.0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.total += torch.nn.functional.mse_loss(self.ema_model(x), y).item()

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print("ema weight sum before its update", self.ema_model.weight.sum().item())
        # TODO(t2l): T2L909 changes `ema_model` before the evaluation runs it; Lightning validates before on_train_epoch_end: move this to on_validation_epoch_start (not moved: code before it reads what it changes, or it reads what the training computed)
        with torch.no_grad():
            for p_ema, p in zip(self.ema_model.parameters(), self.model.parameters()):
                p_ema.mul_(0.9).add_(p, alpha=0.1)
        print(f"epoch {self.current_epoch}: ema val {self.total / len(self.val_loader):.4f}")


lit_model = LitModel(model=model, ema_model=ema_model, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
