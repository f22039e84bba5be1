import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 1)
loaders = {
    "train": [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)],
    "val": [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)],
}


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 19."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_running", loss.item(), on_step=False, on_epoch=True, reduce_fx="sum")
        return loss

    def on_validation_epoch_start(self):
        self.val_running = 0.0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.val_running += loss.item()
        self.log("val_loss", loss)

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        return optimizer

    def on_train_epoch_end(self):
        print(f"{'train'} done")
        print(f"{'val'}: {self.val_running / len(loaders['val']):.4f}")


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(loaders["train"], batch_size=None, generator=torch.Generator()), val_dataloaders=torch.utils.data.DataLoader(loaders["val"], batch_size=None, generator=torch.Generator()))
