import torch
import pytorch_lightning as pl

model = torch.nn.Linear(5, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 5."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, it, batch_idx):
        x = torch.randn(32, 5)
        loss = self.model(x).pow(2).mean()
        if loss.item() < 1e-3:
            self.trainer.should_stop = True
            return None
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(100))
