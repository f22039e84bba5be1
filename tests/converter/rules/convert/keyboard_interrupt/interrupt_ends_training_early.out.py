import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, optimizer):
        super().__init__()
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


try:
    lit_model = LitModel(model=model, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=100, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
except KeyboardInterrupt:
    # TODO(t2l): T2L929 Lightning catches Ctrl+C in fit itself: it shuts down and exits the process (status 1), so this handler and the code after it no longer run on an interrupt; to end training early and go on, set trainer.should_stop from a callback (or Trainer(max_time=...))
    print("Exiting from training early")
torch.save(model.state_dict(), "model.pt")
