import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 1)
loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, step):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        if not torch.isfinite(loss):
            print(f"non-finite loss at step {step}, batch skipped")
            return None
        if loss.item() > 1e6:
            print(f"loss {loss.item()} diverged, stopping training")
            raise SystemExit(1)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(loader, batch_size=None, generator=torch.Generator()))
