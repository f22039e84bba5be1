import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, scheduler, model, optimizer):
        super().__init__()
        self.scheduler = scheduler
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.scheduler.step()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


lit_model = LitModel(scheduler=scheduler, model=model, optimizer=optimizer)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
