import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 5), torch.randn(48, 1)), batch_size=8, shuffle=True)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model, scheduler, optimizer):
        super().__init__()
        self.model = model
        self.scheduler = scheduler
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, i):
        if i % 2 == 1:
            self.scheduler.step()

    def configure_optimizers(self):
        return self.optimizer


lit_model = LitModel(model=model, scheduler=scheduler, optimizer=optimizer)
trainer = pl.Trainer(max_epochs=2)
trainer.fit(lit_model, train_dataloaders=loader)
print(model.weight.sum().item(), scheduler.get_last_lr())
