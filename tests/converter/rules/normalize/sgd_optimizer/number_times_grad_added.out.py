import torch
import torch.nn.functional as F
import pytorch_lightning as pl

fc = torch.nn.Linear(3, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 5."""

    def __init__(self, fc):
        super().__init__()
        self.fc = fc

    def training_step(self, step, batch_idx):
        x = torch.randn(8, 3)
        output = F.smooth_l1_loss(self.fc(x), x.sum(1, keepdim=True))
        self.log("train_loss", output, prog_bar=True)
        return output

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.fc.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(fc=fc)
trainer = pl.Trainer(max_epochs=1)
trainer.fit(lit_model, train_dataloaders=range(20))
