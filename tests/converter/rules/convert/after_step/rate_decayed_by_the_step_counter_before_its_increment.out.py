import numpy as np
import torch
import pytorch_lightning as pl

np.random.seed(0)
torch.manual_seed(0)
rays, colors = torch.randn(512, 6), torch.rand(512, 3)
model = torch.nn.Sequential(torch.nn.Linear(6, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
lrate = 5e-3
global_step = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, colors, model, rays):
        super().__init__()
        self.colors = colors
        self.model = model
        self.rays = rays

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, i, batch_idx):
        select = np.random.choice(512, size=[64], replace=False)
        loss = torch.mean((torch.sigmoid(self.model(self.rays[select])) - self.colors[select]) ** 2)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, i, batch_idx):
        decay_rate = 0.1
        decay_steps = 50
        new_lrate = lrate * (decay_rate ** ((self.global_step - 1) / decay_steps))  # the steps before this one
        for param_group in self.optimizers().param_groups:
            param_group["lr"] = new_lrate

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=lrate)
        return optimizer


lit_model = LitModel(colors=colors, model=model, rays=rays)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(60))
