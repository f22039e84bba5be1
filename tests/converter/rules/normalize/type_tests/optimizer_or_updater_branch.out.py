import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, loss, net, trainer_):
        super().__init__()
        self.loss = loss
        self.net = net
        self.trainer_ = trainer_

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        X, y = batch
        l = self.loss(self.net(X), y)
        loss_1 = l.mean()
        self.log("train_loss", loss_1, prog_bar=True)
        return loss_1

    def configure_optimizers(self):
        return self.trainer_


net = nn.Linear(4, 2)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,))), batch_size=8)
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
lit_model = LitModel(loss=nn.CrossEntropyLoss(reduction="none"), net=net, trainer_=trainer)
trainer2 = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer2.fit(lit_model, train_dataloaders=loader)
