import torch
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
epochs = 3
pbar = tqdm(range(epochs), desc="epochs")


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model, pbar):
        super().__init__()
        self.model = model
        self.pbar = pbar

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        self.pbar.set_postfix(loss=self.loss.item())


lit_model = LitModel(model=model, pbar=pbar)
trainer = pl.Trainer(max_epochs=epochs)
trainer.fit(lit_model, train_dataloaders=loader)
