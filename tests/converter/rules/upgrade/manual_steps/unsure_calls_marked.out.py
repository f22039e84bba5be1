import pytorch_lightning as pl
import torch


class Weighted(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.net = torch.nn.Linear(3, 3)

    def training_step(self, batch, batch_idx):
        out = self.net(batch[0])
        # TODO(t2l): T2L969 self.manual_backward(..., torch.ones_like(out)): 1.1-1.3 took an optimizer second; 2.x passes it to loss.backward: drop it if it is one
        self.manual_backward(out, torch.ones_like(out))
        # TODO(t2l): T2L969 self.manual_optimizer_step(...) (1.1) is gone in 2.x: call `opt.step()` then `opt.zero_grad()` (1.1's step zeroed the gradients after it)
        self.manual_optimizer_step(self.optimizers(), force_optimizer_step=True)

    def configure_optimizers(self):
        return torch.optim.SGD(self.net.parameters(), lr=0.1)
