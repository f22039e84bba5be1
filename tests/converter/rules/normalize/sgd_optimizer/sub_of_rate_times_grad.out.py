import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 1)
learning_rate = 1e-2


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 5."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, t, batch_idx):
        x = torch.randn(8, 3)
        loss = self.model(x).pow(2).sum()
        with torch.no_grad():
            pass
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=learning_rate)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1)
trainer.fit(lit_model, train_dataloaders=range(50))
