import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
it = 1  # from 1: not self.global_step
hard = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, hard, it, model):
        super().__init__()
        self.hard = hard
        self.it = it
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = (1 + self.hard) / self.it * torch.nn.functional.mse_loss(self.model(x), y)
        self.it += 1
        if loss.item() > 1.0:  # counts some batches: not self.global_step
            self.hard += 1
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(hard=hard, it=it, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(lit_model.it, lit_model.hard)
