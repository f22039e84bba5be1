import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=4)
accum = 3


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total, self.n = 0.0, 0

    def training_step(self, batch, i):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.total += (loss / accum).item()
        self.n += 1
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, self.total / self.n)


lit_model = LitModel(model=model)
trainer = pl.Trainer(accumulate_grad_batches=accum, max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
