import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 2)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 4), torch.randn(32, 2)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # steps repeated on each batch: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        optimizer = self.optimizers()
        for _ in range(3):
            loss = torch.nn.functional.mse_loss(self.model(x), y)
            optimizer.zero_grad()
            self.manual_backward(loss)
            self.log("loss", loss)
            optimizer.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
