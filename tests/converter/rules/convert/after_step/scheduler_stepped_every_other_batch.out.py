import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model, scheduler, optimizer):
        super().__init__()
        self.model = model
        self.scheduler = scheduler
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, i):
        if i % 2 == 1:
            self.scheduler.step()

    def configure_optimizers(self):
        return self.optimizer


lit_model = LitModel(model=model, scheduler=scheduler, optimizer=optimizer)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
