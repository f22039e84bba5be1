import pytorch_lightning as pl
import torch


class Policy(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(3, 2)

    @property
    def automatic_optimization(self):
        return False

    def training_step(self, batch, batch_idx):
        opt = self.optimizers()
        loss = self.net(batch[0]).pow(2).mean()
        self.manual_backward(loss, opt)
        opt.step()
        opt.zero_grad()

    def configure_optimizers(self):
        return torch.optim.Adam(self.net.parameters())


trainer = pl.Trainer(max_epochs=2, automatic_optimization=False)
