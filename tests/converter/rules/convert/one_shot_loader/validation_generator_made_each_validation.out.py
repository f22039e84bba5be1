import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
train_x, train_y = torch.randn(32, 4), torch.randn(32, 1)
val_x, val_y = torch.randn(16, 4), torch.randn(16, 1)


def batches(x, y, size=8):
    for i in range(0, len(x), size):
        yield x[i:i + size], y[i:i + size]


class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.val = 0.0

    def validation_step(self, batch, batch_idx):
        xb, yb = batch
        self.val += torch.nn.functional.mse_loss(self.model(xb), yb).item()

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, self.val)


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: batches(train_x, train_y)), val_dataloaders=EveryEpoch(lambda: batches(val_x, val_y)))
