import torch
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
import pytorch_lightning as pl

writer = SummaryWriter("runs/regression")
model = torch.nn.Linear(3, 1)
loader = DataLoader(TensorDataset(torch.randn(24, 3), torch.randn(24, 1)), batch_size=6, shuffle=True)
step = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("loss/train", loss.item())
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, log_every_n_steps=1, logger=pl.loggers.TensorBoardLogger(writer.log_dir, name="", version=""), accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
writer.close()
