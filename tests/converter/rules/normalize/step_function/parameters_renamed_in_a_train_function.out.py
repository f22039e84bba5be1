import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 20."""

    def __init__(self, criterion, model, optimizer):
        super().__init__()
        self.criterion = criterion
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        # forward and backward
        loss = self.criterion(self.model(images), labels)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


def train(model, loader, optimizer, epochs):
    criterion = nn.CrossEntropyLoss()
    lit_model = LitModel(criterion=criterion, model=model, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=epochs, gradient_clip_val=1.0, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)


def main():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    data = TensorDataset(torch.randn(24, 4, 4), torch.randint(0, 3, (24,)))
    train(model, DataLoader(data, batch_size=8), optimizer, epochs=2)


if __name__ == "__main__":
    main()
