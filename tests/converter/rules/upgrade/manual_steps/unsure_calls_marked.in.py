import pytorch_lightning as pl
import torch


class Weighted(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.net = torch.nn.Linear(3, 3)

    def training_step(self, batch, batch_idx):
        out = self.net(batch[0])
        self.manual_backward(out, torch.ones_like(out))
        self.manual_optimizer_step(self.optimizers(), force_optimizer_step=True)

    def configure_optimizers(self):
        return torch.optim.SGD(self.net.parameters(), lr=0.1)
