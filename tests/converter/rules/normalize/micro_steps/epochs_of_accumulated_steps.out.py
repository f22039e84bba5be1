import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

train = DataLoader(TensorDataset(torch.randn(48, 5), torch.randn(48, 1)), batch_size=4, shuffle=True)
model = torch.nn.Linear(5, 1)
ACCUM, STEPS_PER_EPOCH = 3, 4


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, train_, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.train_ = train_
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.batches = iter(self.train_)

    def training_step(self, micro_batch, batch_idx):
        optimizer = self.optimizers()
        x, y = next(self.batches)
        loss = torch.nn.functional.mse_loss(self.model(x), y) / ACCUM
        self.manual_backward(loss)
        if (micro_batch + 1) % ACCUM == 0:
            optimizer.step()
            optimizer.zero_grad()
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return [optimizer]


lit_model = LitModel(train_=train, model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(STEPS_PER_EPOCH * ACCUM))
