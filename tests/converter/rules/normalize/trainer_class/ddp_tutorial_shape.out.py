import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 22."""

    def __init__(self, model, save_every):
        super().__init__()
        self.model = model
        self.save_every = save_every

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        source, targets = batch
        output = self.model(source)
        loss = F.mse_loss(output, targets)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-3)
        return optimizer

    def on_train_epoch_end(self):
        if self.current_epoch % self.save_every == 0:
            torch.save(self.model.state_dict(), "checkpoint.pt")
            print(f"Epoch {self.current_epoch} | Training checkpoint saved at checkpoint.pt")


def main(total_epochs, save_every):
    model = torch.nn.Linear(20, 1)
    data = DataLoader(TensorDataset(torch.randn(64, 20), torch.randn(64, 1)), batch_size=16, shuffle=True)
    train_data = data
    device = torch.device("cpu")
    model = model.to(device)
    lit_model = LitModel(model=model, save_every=save_every)
    trainer = pl.Trainer(max_epochs=total_epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=train_data)


if __name__ == "__main__":
    main(3, 1)
