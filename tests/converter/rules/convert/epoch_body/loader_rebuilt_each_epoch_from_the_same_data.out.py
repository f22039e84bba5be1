import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

train_set = TensorDataset(torch.randn(64, 6), torch.randn(64, 1))
model = torch.nn.Linear(6, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model, train_set):
        super().__init__()
        self.model = model
        self.train_set = train_set

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.running = 0.0
        self.train_loader = DataLoader(self.train_set, batch_size=16, shuffle=True)
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.running += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch}: {self.running / len(self.train_loader):.4f}")


lit_model = LitModel(model=model, train_set=train_set)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=DataLoader(train_set, batch_size=16, shuffle=True))
