import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch_data, batch):
        x, y = batch_data
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        loss_at_backward = loss
        if batch % 2 == 0:
            loss = loss.item()
            history = [loss]
        self.log("train_loss", loss_at_backward, prog_bar=True)
        return loss_at_backward

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
