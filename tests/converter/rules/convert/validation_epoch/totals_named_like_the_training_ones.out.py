import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model, best):
        super().__init__()
        self.model = model
        self.best = best

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.hits, self.seen = 0, 0
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        out = self.model(x)
        loss = torch.nn.functional.cross_entropy(out, y)
        self.hits += (out.argmax(1) == y).sum().item()
        self.seen += y.size(0)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.val_hits, self.val_seen = 0, 0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.val_hits += (self.model(x).argmax(1) == y).sum().item()
        self.val_seen += y.size(0)

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"train accuracy {self.hits / self.seen:.3f}")
        accuracy = self.val_hits / self.val_seen
        self.log("val_accuracy", accuracy)
        if accuracy > self.best:
            self.best = accuracy
            torch.save(self.model.state_dict(), "best.pt")


torch.manual_seed(0)
model = torch.nn.Linear(4, 3)
data = TensorDataset(torch.randn(32, 4), torch.randint(0, 3, (32,)))
best = 0.0
lit_model = LitModel(model=model, best=best)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=DataLoader(data, batch_size=8, shuffle=True), val_dataloaders=DataLoader(data, batch_size=16))
