import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 2)
train_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)
val_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 22."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total = 0.0

    def validation_step(self, batch, batch_idx):
        with torch.enable_grad():
            x, y = batch
            x.requires_grad_(True)
            score = self.model(x).gather(1, y[:, None]).sum()
            self.total += torch.autograd.grad(score, x)[0].abs().mean().item()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, self.total)


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
