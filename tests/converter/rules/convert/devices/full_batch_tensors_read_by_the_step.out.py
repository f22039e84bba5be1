import torch
import pytorch_lightning as pl

X_train = torch.randn(64, 4)
y_train = X_train.sum(1, keepdim=True)
model = torch.nn.Linear(4, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 7."""

    def __init__(self, X_train, model, y_train):
        super().__init__()
        self.X_train = X_train
        self.model = model
        self.y_train = y_train

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, epoch, batch_idx):
        loss = torch.nn.functional.mse_loss(self.model(self.X_train), self.y_train)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return optimizer


lit_model = LitModel(X_train=X_train, model=model, y_train=y_train)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(20))
