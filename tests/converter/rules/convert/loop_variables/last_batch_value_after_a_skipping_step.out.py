import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 4)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
samples = []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model, recon):
        super().__init__()
        self.model = model
        self.recon = recon

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, = batch
        recon = self.model(x)
        loss = torch.nn.functional.mse_loss(recon, x)
        if not torch.isfinite(loss):
            return None
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        # TODO(t2l): T2L909 moved from the epoch-loop; reads `recon`, which the training computed
        samples.append((self.current_epoch, self.recon.detach()))


# TODO(t2l): T2L925 `recon` is read here, and nothing defines it where this runs: it would raise NameError
lit_model = LitModel(model=model, recon=recon)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
