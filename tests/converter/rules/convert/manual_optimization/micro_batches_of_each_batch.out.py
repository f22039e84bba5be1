import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 2)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 4), torch.randn(32, 2)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # a backward call for each micro-batch of the batch: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        optimizer = self.optimizers()
        optimizer.zero_grad()
        for xm, ym in zip(xb.chunk(2), yb.chunk(2)):
            loss = torch.nn.functional.mse_loss(self.model(xm), ym) / 2
            self.manual_backward(loss)
            self.log("loss", loss)
        optimizer.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
