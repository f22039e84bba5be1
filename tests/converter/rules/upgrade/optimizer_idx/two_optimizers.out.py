import pytorch_lightning as pl
import torch


class GAN(pl.LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.automatic_optimization = False  # t2l T2L222: one step per optimizer, by hand

    def training_step(self, batch, batch_idx):
        optimizer_0, optimizer_1 = self.optimizers()

        # optimizer_idx == 0
        self.toggle_optimizer(optimizer_0)
        self.manual_backward(self.generator_loss(batch))
        optimizer_0.step()
        optimizer_0.zero_grad()
        self.untoggle_optimizer(optimizer_0)

        # optimizer_idx == 1
        self.toggle_optimizer(optimizer_1)
        self.manual_backward(self.discriminator_loss(batch))
        optimizer_1.step()
        optimizer_1.zero_grad()
        self.untoggle_optimizer(optimizer_1)

    def configure_optimizers(self):
        return [torch.optim.Adam(self.generator.parameters()), torch.optim.Adam(self.discriminator.parameters())]
