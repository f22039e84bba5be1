import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

autoencoder = torch.nn.Sequential(torch.nn.Linear(8, 3), torch.nn.ReLU(), torch.nn.Linear(3, 8))
images = DataLoader(TensorDataset(torch.rand(48, 8)), batch_size=16, shuffle=True)
num_epochs = 3


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, autoencoder):
        super().__init__()
        self.autoencoder = autoencoder

    def training_step(self, batch, batch_idx):
        img, = batch
        output = self.autoencoder(img)
        loss = torch.nn.functional.mse_loss(output, img)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.autoencoder.parameters(), lr=1e-3)
        return optimizer

    def on_train_epoch_end(self):
        print("epoch [{}/{}], loss:{:.4f}".format(self.current_epoch + 1, num_epochs, self.loss.item()))


lit_model = LitModel(autoencoder=autoencoder)
trainer = pl.Trainer(max_epochs=num_epochs, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=images)
