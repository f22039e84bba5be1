import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 1)
for path in ["a.pt", "b.pt"]:
    # TODO(t2l): T2L909 uses `scheduler`, which configure_optimizers now builds: after fit use lit_model.optimizers(); to load its state, do it in the LightningModule (e.g. on_fit_start)
    scheduler.load_state_dict(torch.load(path))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler}}


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
