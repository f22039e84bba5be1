import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(8, 2)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 6."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, it, batch_idx):
        step = it + 1
        x, y = get_batch("train")
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(max_iters))
