import pytorch_lightning as pl
class GAN(pl.LightningModule):
    def training_step(self, batch, batch_idx, optimizer_idx):
        return {0: self.g_loss, 1: self.d_loss}[optimizer_idx](batch)
