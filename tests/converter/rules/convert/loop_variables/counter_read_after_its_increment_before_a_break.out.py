import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
epoch = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model, loader):
        super().__init__()
        self.model = model
        self.loader = loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.total += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        # TODO(t2l): T2L909 reads `epoch` after `epoch += 1`, where the hooks' epoch is one behind it: read `epoch + 1` here (the epoch_counter normalizer moves the increment last, but not past a `break` or `continue`)
        print(f"epoch {self.current_epoch}: loss {self.total / len(self.loader):.4f}")
        if self.total / len(self.loader) < 0.5:
            self.trainer.should_stop = True; return


lit_model = LitModel(model=model, loader=loader)
trainer = pl.Trainer(max_epochs=10, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
# TODO(t2l): T2L909 reads `epoch`, which the replaced training loop computed
print("stopped after", epoch, "epochs")
