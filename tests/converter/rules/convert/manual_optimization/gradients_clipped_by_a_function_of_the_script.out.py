import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


def clip_gradients(model, theta):
    params = [p for p in model.parameters() if p.requires_grad]
    norm = torch.sqrt(sum(torch.sum(p.grad**2) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


model = nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 18."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # the step reads the gradients: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        loss = nn.functional.mse_loss(self.model(x), y)
        optimizer.zero_grad()
        self.manual_backward(loss)
        clip_gradients(self.model, 1.0)
        optimizer.step()
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.5)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
