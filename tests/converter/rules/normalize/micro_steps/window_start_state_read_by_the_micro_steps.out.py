import torch
import pytorch_lightning as pl

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
tasks_per_step = 3


def sample_task():
    return torch.randn(6, 4), torch.randn(6, 1)


step_error = None  # bound when a window of micro-batches starts, read by the micro-batches after it


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, micro_batch, batch_idx):
        optimizer = self.optimizers()
        iteration = micro_batch // tasks_per_step
        if micro_batch % tasks_per_step == 0:
            optimizer.zero_grad()
        task = micro_batch % tasks_per_step
        x, y = sample_task()
        error = torch.nn.functional.mse_loss(self.model(x), y)
        self.manual_backward(error)
        self.log("train_step_error", error.item(), on_step=False, on_epoch=True, reduce_fx="sum")
        if (micro_batch + 1) % tasks_per_step == 0:
            for p in self.model.parameters():
                p.grad.mul_(1.0 / tasks_per_step)
            optimizer.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(20 * tasks_per_step))
