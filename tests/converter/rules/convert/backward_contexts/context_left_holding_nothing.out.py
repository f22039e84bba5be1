import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class Timer:
    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self.start


model = nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
backward_time = Timer()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 24."""

    def __init__(self, backward_time, model):
        super().__init__()
        self.backward_time = backward_time
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        # TODO(t2l): T2L933 this `with` held lines the conversion took out of the step (the backward, which Lightning calls after training_step returns; a step or a print): its context no longer wraps them; move what it must wrap into the hook that runs it (on_before_backward, on_after_backward, on_train_batch_end), or remove it
        with self.backward_time:
            pass
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(backward_time=backward_time, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(f"backward: {backward_time.seconds:.3f} s")
