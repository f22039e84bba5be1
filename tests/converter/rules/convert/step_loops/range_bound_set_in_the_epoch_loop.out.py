import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
source = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
target = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, source, target, model):
        super().__init__()
        self.source = source
        self.target = target
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.source_iter, self.target_iter = iter(self.source), iter(self.target)

    def training_step(self, i, batch_idx):
        xs, ys = next(self.source_iter)
        xt, yt = next(self.target_iter)
        loss = torch.nn.functional.mse_loss(self.model(xs), ys) + torch.nn.functional.mse_loss(self.model(xt), yt)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(source=source, target=target, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(min(len(source), len(target))))
