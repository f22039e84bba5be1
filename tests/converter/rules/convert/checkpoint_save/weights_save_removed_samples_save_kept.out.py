import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 4)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    # Lightning's ModelCheckpoint saves every epoch under lightning_logs/version_N/checkpoints
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, = batch
        reconstruction = self.model(x)
        loss = torch.nn.functional.mse_loss(reconstruction, x)
        torch.save(reconstruction.detach(), f"reconstruction_{self.current_epoch}_{i}.pt")
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters())
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
