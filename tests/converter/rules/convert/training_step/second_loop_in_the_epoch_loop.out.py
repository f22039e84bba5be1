import torch
import pytorch_lightning as pl

model = torch.nn.Linear(3, 2)
source = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(16, 3), torch.randint(0, 2, (16,))), batch_size=4)
target = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 3), torch.randint(0, 2, (8,))), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, target):
        super().__init__()
        self.model = model
        self.target = target

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        # TODO(t2l): T2L913 a second training loop (line 13) in the epoch loop runs as written in an epoch hook, by hand: outside Lightning's loop (not logged, not in its step count); to have Lightning run both, step them in one training_step, or keep the loops with `--to fabric`
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return optimizer

    def on_train_epoch_end(self):
        for x, y in self.target:
            self.optimizers().zero_grad()
            (0.5 * torch.nn.functional.cross_entropy(self.model(x), y)).backward()
            self.optimizers().step()


lit_model = LitModel(model=model, target=target)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=source)
