import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, shuffle=True)
max_steps, step, done = 6, 0, False


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, done, model):
        super().__init__()
        self.done = done
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        step = self.global_step  # steps before this batch; counted below as the loop did
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        step += 1
        if step >= max_steps:
            self.done = True
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        if self.done:
            self.trainer.should_stop = True; return


lit_model = LitModel(done=done, model=model)
trainer = pl.Trainer(max_epochs=10, max_steps=max_steps, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print("stopped after", lit_model.global_step, "steps")
