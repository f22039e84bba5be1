import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
start_epoch = 2


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        print("Epoch: %d" % (self.current_epoch + start_epoch))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        if (self.current_epoch + start_epoch) % 2 == 0:
            torch.save(self.model.state_dict(), "model_%d.pt" % -(self.current_epoch + start_epoch))


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=start_epoch + 3 - start_epoch, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
