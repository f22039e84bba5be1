import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

net = torch.nn.Linear(5, 1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(24, 5), torch.randn(24, 1)), batch_size=8)
val_history = []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        val_history.append(torch.nn.functional.mse_loss(self.net(x), y).item())

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.net.parameters(), lr=0.05)
        return optimizer


lit_model = LitModel(net=net)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
print("validation batches seen:", len(val_history))
