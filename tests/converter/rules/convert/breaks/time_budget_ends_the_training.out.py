import time

import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(256, 5)
y = x @ torch.randn(5, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
model = torch.nn.Linear(5, 1)
budget_seconds = 10 * 60
start = time.time()
out_of_time = False


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, model, out_of_time, start):
        super().__init__()
        self.model = model
        self.out_of_time = out_of_time
        self.start = start

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        if time.time() - self.start > budget_seconds:
            self.out_of_time = True
            self.trainer.should_stop = True
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} loss {self.loss.item():.5f}")
        if self.out_of_time:
            print(f"stopped: out of time after epoch {self.current_epoch}")
            self.trainer.should_stop = True; return


lit_model = LitModel(model=model, out_of_time=out_of_time, start=start)
trainer = pl.Trainer(max_epochs=50, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
