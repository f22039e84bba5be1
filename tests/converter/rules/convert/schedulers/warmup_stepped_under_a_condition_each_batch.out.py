import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
warm_epochs = 1
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=len(loader) * warm_epochs)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model, warmup, optimizer):
        super().__init__()
        self.model = model
        self.warmup = warmup
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        if self.current_epoch < warm_epochs:  # only while warming up: afterwards the rate stays
            # TODO(t2l): T2L918 `warmup.step()` under a condition each batch (a warm-up for the first epochs, say): kept as written, on the optimizer configure_optimizers returns, not returned itself (Lightning would step it every batch); to have Lightning step it, return it and override lr_scheduler_step with the condition
            self.warmup.step()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


lit_model = LitModel(model=model, warmup=warmup, optimizer=optimizer)
trainer = pl.Trainer(max_epochs=3)
trainer.fit(lit_model, train_dataloaders=loader)
