import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

net = torch.nn.Linear(6, 3)
trainloader = DataLoader(TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,))), batch_size=4, shuffle=True)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, i):
        inputs, labels = batch
        loss = torch.nn.functional.cross_entropy(self.net(inputs), labels)
        self.log("train_running_loss", loss.item(), on_step=False, on_epoch=True, reduce_fx="sum")
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.net.parameters(), lr=0.01, momentum=0.9)
        return optimizer


lit_model = LitModel(net=net)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=trainloader)
