import torch
from torch import nn
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model, optimizer_state):
        super().__init__()
        self.model = model
        self.optimizer_state = optimizer_state

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        return optimizer

    def on_fit_start(self):
        self.trainer.optimizers[0].load_state_dict(self.optimizer_state)


def main(loader, checkpoint_path):
    model = nn.Linear(4, 1)
    checkpoint = torch.load(checkpoint_path)
    model.load_state_dict(checkpoint["model"])
    optimizer_state = checkpoint["optimizer"]
    lit_model = LitModel(model=model, optimizer_state=optimizer_state)
    trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
