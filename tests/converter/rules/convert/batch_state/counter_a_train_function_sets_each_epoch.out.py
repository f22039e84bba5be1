"""A counter a train function sets to 0 at each call counts the steps of one epoch: state reset at the epoch's start,
not self.global_step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
X = torch.randn(120, 4)
Y = X.sum(1, keepdim=True)
loader = DataLoader(TensorDataset(X, Y), batch_size=10, shuffle=True)
model = nn.Linear(4, 1)
marks = []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 18."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.n_accum = 0

    def training_step(self, batch, i):
        xb, yb = batch
        optimizer = self.optimizers()
        loss = nn.functional.mse_loss(self.model(xb), yb)
        self.manual_backward(loss)
        if i % 2 == 0:
            optimizer.step()
            optimizer.zero_grad()
            self.n_accum += 1
            marks.append(self.n_accum)
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(marks)
