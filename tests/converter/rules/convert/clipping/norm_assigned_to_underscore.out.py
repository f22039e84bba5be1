import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 1)
batches = [(torch.randn(4, 3), torch.randn(4, 1)) for _ in range(3)]


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 7."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters())
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, gradient_clip_val=50.0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(batches, batch_size=None, generator=torch.Generator()))
