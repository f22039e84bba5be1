import torch
import pytorch_lightning as pl

x, y = torch.randn(16, 4), torch.randn(16, 1)
model = torch.nn.Linear(4, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model, x, y):
        super().__init__()
        self.model = model
        self.x = x
        self.y = y

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        loss = torch.nn.functional.mse_loss(self.model(self.x), self.y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01)
        return optimizer

    def on_train_epoch_end(self):
        self.loss = float(self.loss)
        if (self.current_epoch + 1) % 10 == 0:
            print(f"epoch {self.current_epoch + 1:03d} loss {self.loss:.4f}")


lit_model = LitModel(model=model, x=x, y=y)
trainer = pl.Trainer(max_epochs=21 - 1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=[0])
