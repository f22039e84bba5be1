import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 2)
train_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)
test_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 21."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def test_step(self, batch, batch_idx):
        with torch.enable_grad():
            x, y = batch
            x.requires_grad_(True)
            score = self.model(x).gather(1, y[:, None]).sum()
            saliency = torch.autograd.grad(score, x)[0].abs().mean()
            torch.save(saliency, "saliency.pt")

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, inference_mode=False, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
trainer.test(lit_model, dataloaders=test_loader)
