import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 1)
train_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)]


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.running = 0.0

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.running += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.val_running = 0.0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.val_running += nn.functional.mse_loss(self.model(x), y).item()

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"train {self.running / len(train_loader):.4f}")
        print(f"val {self.val_running / len(val_loader):.4f}")


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(train_loader, batch_size=None, generator=torch.Generator()), val_dataloaders=torch.utils.data.DataLoader(val_loader, batch_size=None, generator=torch.Generator()))
