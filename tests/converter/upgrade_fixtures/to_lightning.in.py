# t2l-fixture: run --to lightning
"""--to lightning: every pytorch_lightning import becomes lightning.pytorch (T2L224)."""
import pytorch_lightning as pl
from pytorch_lightning.callbacks import EarlyStopping

from tiny import loader


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = __import__("torch").nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = ((self.layer(x) - y) ** 2).mean()
        self.log("loss", loss)
        return loss

    def configure_optimizers(self):
        return __import__("torch").optim.SGD(self.parameters(), lr=0.05)


trainer = pl.Trainer(max_epochs=2, callbacks=[EarlyStopping(monitor="loss")], logger=False)
trainer.fit(Model(), loader())
import lightning.pytorch  # noqa: E402  (the upgraded file must run on the package it names)

assert isinstance(trainer, lightning.pytorch.Trainer)
