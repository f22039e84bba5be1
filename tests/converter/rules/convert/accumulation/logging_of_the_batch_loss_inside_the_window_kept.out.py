import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
global_step = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, step):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        # TODO(t2l): T2L927 it ran after the optimizer step, once every `2` batches; here it runs every batch, before Lightning's step: move it to on_train_batch_end under `if (step + 1) % 2 == 0 or step + 1 == len(loader):`
        if self.global_step % 3 == 0:
            print(f"step {self.global_step}: loss {loss.item():.4f}")
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(accumulate_grad_batches=2, max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
