import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


def main():
    model = torch.nn.Linear(4, 2)
    loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 2, (16,))), batch_size=4)
    step, history = 0, []


    class LitModel(pl.LightningModule):
        """Built by `t2l convert` from the training loop at line 13."""

        def __init__(self, model, history):
            super().__init__()
            self.model = model
            self.history = history

        def forward(self, *args, **kwargs):
            return self.model(*args, **kwargs)

        def training_step(self, batch, batch_idx):
            nonlocal step
            x, y = batch
            loss = torch.nn.functional.cross_entropy(self.model(x), y)
            step += 1
            self.log("train_loss", loss, prog_bar=True)
            return loss

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
            return optimizer

        def on_train_epoch_end(self):
            self.history.append(step)

    lit_model = LitModel(model=model, history=history)
    trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
    print("steps", step, history)


main()
