import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

backbone = torch.nn.Linear(4, 8)
model = torch.nn.Sequential(backbone, torch.nn.ReLU(), torch.nn.Linear(8, 1))
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # the step clips parameters its optimizer does not hold: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        self.model.zero_grad()
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.manual_backward(loss)
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 0.5)
        optimizer.step()
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model[2].parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
