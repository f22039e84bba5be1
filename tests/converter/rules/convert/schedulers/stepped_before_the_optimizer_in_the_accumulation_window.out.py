import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        # TODO(t2l): T2L926 exact when an epoch's batch count is a multiple of `2`: Lightning also steps on an epoch's last batch, where the loop left a partial window unstepped (carried into the next epoch, or zeroed); or step the loop on the last batch too (`or (i + 1) == len(loader)`)
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        # TODO(t2l): T2L918 `scheduler.step()` before the optimizer's step, in its accumulation window: Lightning steps a configured scheduler after the optimizer, one rate later; move it after the optimizer's step (torch's order) and convert again
        self.lr_schedulers().step()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


lit_model = LitModel(model=model)
trainer = pl.Trainer(accumulate_grad_batches=2, max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
