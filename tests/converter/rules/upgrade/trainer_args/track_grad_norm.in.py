import pytorch_lightning as pl


class Model(pl.LightningModule):
    def training_step(self, batch, batch_idx):
        return self(batch).sum()


trainer = pl.Trainer(track_grad_norm=2, max_epochs=1)
trainer.fit(Model())
