import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model, start_epoch, loader):
        super().__init__()
        self.model = model
        self.start_epoch = start_epoch
        self.loader = loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.running = 0.0
        self.model.train()

    def training_step(self, batch, step):
        x, y = batch
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.running += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch + self.start_epoch}: {self.running / len(self.loader):.4f}")


def train(model, loader, start_epoch, num_epochs):
    epoch = start_epoch
    lit_model = LitModel(model=model, start_epoch=start_epoch, loader=loader)
    trainer = pl.Trainer(max_epochs=num_epochs + 1 - start_epoch)
    trainer.fit(lit_model, train_dataloaders=loader)
    # TODO(t2l): T2L909 reads `epoch`, which the replaced training loop computed
    print("stopped at", epoch)
    return model


if __name__ == "__main__":
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,)))
    net = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
    train(net, DataLoader(data, batch_size=10, shuffle=True), 1, 3)
    print(net[0].weight.sum().item())
