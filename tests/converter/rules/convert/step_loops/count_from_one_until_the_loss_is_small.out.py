from itertools import count

import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 1)
w = torch.randn(3, 1)


def get_batch():
    x = torch.randn(16, 3)
    return x, x @ w


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, it, batch_idx):
        x, y = get_batch()
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        if loss.item() < 1e-2:
            self.trainer.should_stop = True
        self.log("train_loss", loss, prog_bar=True)
        self.it, self.loss = it, loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=count(1))

print(f"loss {lit_model.loss.item():.4f} after {lit_model.it} batches")
