import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

net = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
train_loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=12)
test_loader = DataLoader(TensorDataset(torch.randn(24, 6), torch.randint(0, 3, (24,))), batch_size=12)


def accuracy(loader):
    correct = 0
    with torch.no_grad():
        for inputs, labels in loader:
            correct += (net(inputs).argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 19."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        inputs, labels = batch
        loss = torch.nn.functional.cross_entropy(self.net(inputs), labels)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.net.parameters(), lr=1e-2)
        return opt


lit_model = LitModel(net=net)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)

print(f"test accuracy {accuracy(test_loader):.3f}")  # the value itself: trainer.test would print logged metrics
