import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
criterion = torch.nn.MSELoss()
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 23."""

    def __init__(self, model, criterion):
        super().__init__()
        self.model = model
        self.criterion = criterion

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.epoch_loss, self.steps = 0.0, 0
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = self.criterion(self.model(x), y)
        self.epoch_loss += loss.item()
        self.steps += 1
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch}: {self.epoch_loss / self.steps:.4f}")


lit_model = LitModel(model=model, criterion=criterion)
trainer = pl.Trainer(max_epochs=3, gradient_clip_val=5.0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
