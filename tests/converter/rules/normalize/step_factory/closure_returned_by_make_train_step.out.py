import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 1), torch.randn(32, 1)), batch_size=8, shuffle=True)


model = torch.nn.Linear(1, 1)
loss_fn = torch.nn.MSELoss()
losses = []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 27."""

    def __init__(self, loss_fn, model):
        super().__init__()
        self.loss_fn = loss_fn
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x_batch, y_batch = batch
        yhat = self.model(x_batch)
        train_step_loss = self.loss_fn(y_batch, yhat)
        loss = train_step_loss.item()
        losses.append(loss)
        self.log("train_loss", train_step_loss, prog_bar=True)
        return train_step_loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(loss_fn=loss_fn, model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(f"{len(losses)} steps, last loss {losses[-1]:.6f}")
