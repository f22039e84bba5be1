import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(16, 4)), batch_size=4)


def build_scheduler(name, optimizer):
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    return None


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, = batch
        loss = self.model(x).pow(2).mean()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        scheduler = build_scheduler("none", optimizer)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler}} if scheduler is not None else optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
