import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 1)
train_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)]


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total, self.kept = 0.0, 0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        if torch.isfinite(loss):
            self.total += loss.item()
            self.kept += 1
        self.log("val_loss", loss)

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch}: val {self.total / self.kept:.4f} over {self.kept} batches")


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(train_loader, batch_size=None, generator=torch.Generator()), val_dataloaders=torch.utils.data.DataLoader(val_loader, batch_size=None, generator=torch.Generator()))
