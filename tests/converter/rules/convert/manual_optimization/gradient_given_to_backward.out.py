import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 2)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 3), torch.randn(32, 2)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # a backward call given a gradient: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        optimizer.zero_grad()
        losses = (self.model(x) - y) ** 2  # one loss per element, summed by the gradient of ones
        self.manual_backward(losses, torch.ones_like(losses))
        optimizer.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
