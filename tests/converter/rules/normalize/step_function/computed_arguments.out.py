import torch
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
srcs = [torch.randn(8, 4) for _ in range(5)]
targets = [torch.randn(8, 1) for _ in range(5)]


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 18."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, step, batch_idx):
        src = srcs[step]
        target = targets[step] * 2
        train_loss = torch.nn.functional.mse_loss(self.model(src), target)
        loss = train_loss.item()
        self.log("train_loss", train_loss, prog_bar=True)
        return train_loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(5))
