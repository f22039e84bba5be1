import torch
from torch import nn
import pytorch_lightning as pl


def load_checkpoint(path, model, optimizer):
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"] + 1


model = nn.Linear(4, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
start_epoch = load_checkpoint("last.pt", model, optimizer)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model, optimizer, scheduler):
        super().__init__()
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return {"optimizer": self.optimizer, "lr_scheduler": {"scheduler": self.scheduler}}


lit_model = LitModel(model=model, optimizer=optimizer, scheduler=scheduler)
trainer = pl.Trainer(max_epochs=10 - start_epoch, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
