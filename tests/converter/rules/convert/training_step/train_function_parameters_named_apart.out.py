import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 6."""

    def __init__(self, loader, net, optimizer):
        super().__init__()
        self.loader = loader
        self.net = net
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        if i % 2 == 0:
            report(i, len(self.loader), loss.item())
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


def report(i, n, value):
    print(f"[{i + 1}/{n}] {value:.4f}")


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
lit_model = LitModel(loader=train_loader, net=model, optimizer=optimizer)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
