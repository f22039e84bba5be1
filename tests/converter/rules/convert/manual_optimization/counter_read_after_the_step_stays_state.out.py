import copy

import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
average = copy.deepcopy(model)
loader = DataLoader(TensorDataset(torch.randn(30, 4), torch.randn(30, 1)), batch_size=4)
global_step = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 13."""

    def __init__(self, average, global_step_, loader, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.average = average
        self.global_step_ = global_step_
        self.loader = loader
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        optimizer = self.optimizers()
        loss = torch.nn.functional.mse_loss(self.model(x), y) / 2
        self.manual_backward(loss)
        if i % 2 == 1 or i == len(self.loader) - 1:
            optimizer.step()
            optimizer.zero_grad()
            if self.global_step_ % 3 == 0:  # read after the step: the steps before this one (a lookahead's sync)
                with torch.no_grad():
                    for a, p in zip(self.average.parameters(), self.model.parameters()):
                        a.add_(0.5 * (p - a))
                        p.copy_(a)
            self.global_step_ += 1
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return [optimizer]


lit_model = LitModel(average=average, global_step_=global_step, loader=loader, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
