import torch
from torch.utils.data import DataLoader, Dataset
import pytorch_lightning as pl

noise_level = 0.0


class Noisy(Dataset):
    def __init__(self, x):
        self.x = x
        self.noise = torch.randn_like(x)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i] + noise_level * self.noise[i], self.x[i].sum(0, keepdim=True)


torch.manual_seed(0)
loader = DataLoader(Noisy(torch.randn(96, 4)), batch_size=16, shuffle=True)
model = torch.nn.Linear(4, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 25."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        global noise_level
        noise_level = 0.25 * self.current_epoch

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} noise {noise_level} loss {self.loss.item():.6f}")


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=4, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
