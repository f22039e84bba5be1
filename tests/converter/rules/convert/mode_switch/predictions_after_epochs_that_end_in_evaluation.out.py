import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(240, 8)
y = (x[:, 0] * x[:, 1] > 0).long()
train_loader = DataLoader(TensorDataset(x[:200], y[:200]), batch_size=20, shuffle=True)
val_loader = DataLoader(TensorDataset(x[200:], y[200:]), batch_size=20)
model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(32, 2))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 24."""

    def __init__(self, model, val_loader):
        super().__init__()
        self.model = model
        self.val_loader = val_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.cross_entropy(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.correct = 0

    def validation_step(self, batch, batch_idx):
        xb, yb = batch
        self.correct += (self.model(xb).argmax(1) == yb).sum().item()

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} val acc {self.correct / len(self.val_loader.dataset):.3f}")


lit_model = LitModel(model=model, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
model.eval()  # as the loop left it: its last epoch ended in eval mode

with torch.no_grad():  # no model.eval() here: the last evaluation left it in eval mode
    probabilities = model(x[200:210]).softmax(1)
print("predictions", probabilities.argmax(1).tolist(), f"{probabilities.max().item():.6f}")
