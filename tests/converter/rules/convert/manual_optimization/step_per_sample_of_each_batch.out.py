import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=10)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # an optimizer step for each part of the batch: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        optimizer = self.optimizers()
        for xi, yi in zip(xb, yb):
            optimizer.zero_grad()
            loss = (self.model(xi) - yi).pow(2).mean()
            self.manual_backward(loss)
            self.log("loss", loss)
            optimizer.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
