import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

decoder = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 4))
train_loader = DataLoader(TensorDataset(torch.randn(16, 2), torch.randn(16, 4)), batch_size=4, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 4)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 21."""

    def __init__(self, decoder, val_loader):
        super().__init__()
        self.decoder = decoder
        self.val_loader = val_loader

    def on_train_epoch_start(self):
        self.decoder.train()

    def training_step(self, batch, batch_idx):
        z, x = batch
        loss = torch.nn.functional.mse_loss(self.decoder(z), x)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total = 0.0

    def validation_step(self, batch, batch_idx):
        z, x = batch
        self.total += torch.nn.functional.mse_loss(self.decoder(z), x).item()

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.decoder.parameters(), lr=1e-3)
        return optimizer

    def on_train_epoch_end(self):
        val_loss = self.total / len(self.val_loader)
        self.log("val_loss", val_loss)
        self.decoder.eval()
        with torch.no_grad():
            samples = self.decoder(torch.randn(4, 2))
        print(self.current_epoch, val_loss, samples.mean().item())


lit_model = LitModel(decoder=decoder, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
