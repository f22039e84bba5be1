import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
step = 0
losses = []


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 25."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        train_step_x = x.float()
        train_step_loss = torch.nn.functional.mse_loss(self.model(train_step_x), y)
        loss = train_step_loss.item()
        losses.append(loss)
        self.log("train_loss", train_step_loss, prog_bar=True)
        return train_step_loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=0.01)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(f"{lit_model.global_step} steps, last loss {losses[-1]:.4f}")
