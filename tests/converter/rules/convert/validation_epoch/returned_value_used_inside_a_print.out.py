import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 21."""

    def __init__(self, model, test_loader):
        super().__init__()
        self.model = model
        self.test_loader = test_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def on_validation_epoch_start(self):
        self.correct = 0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.correct += (self.model(x).argmax(1) == y).sum().item()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} loss {self.loss.item():.4f} accuracy {(self.correct, self.correct / len(self.test_loader.dataset))[1]:.4f}")


torch.manual_seed(0)
model = torch.nn.Linear(4, 3)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
test_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 3, (16,))), batch_size=8)
lit_model = LitModel(model=model, test_loader=test_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=test_loader)
