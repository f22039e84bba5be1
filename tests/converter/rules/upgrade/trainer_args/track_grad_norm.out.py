import pytorch_lightning as pl
from pytorch_lightning.utilities import grad_norm


class Model(pl.LightningModule):
    def training_step(self, batch, batch_idx):
        return self(batch).sum()

    def on_before_optimizer_step(self, optimizer):
        # t2l T2L215: replaces Trainer(track_grad_norm=2)
        self.log_dict(grad_norm(self, norm_type=2))


trainer = pl.Trainer(max_epochs=1)
trainer.fit(Model())
