import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 24."""

    def __init__(self, model, loader):
        super().__init__()
        self.model = model
        self.loader = loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        if i % 2 == 0:
            report(i, len(self.loader), loss.item())
        self.log("val_loss", loss)

    def on_validation_model_train(self):
        pass  # the script never switched back to train mode after evaluating: Lightning would

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


def report(i, n, value):
    print(f"[{i + 1}/{n}] {value:.4f}")


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
lit_model = LitModel(model=model, loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
