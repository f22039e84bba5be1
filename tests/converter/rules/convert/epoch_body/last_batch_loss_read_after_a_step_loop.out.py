import torch
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 7."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, _, batch_idx):
        loss = self.model(torch.randn(8, 4)).pow(2).mean()
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


def run(steps):
    model = torch.nn.Linear(4, 1)
    lit_model = LitModel(model=model)
    trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=range(steps))
    print("last loss", lit_model.loss.item())


run(3)
