import pytorch_lightning as pl
class GAN(pl.LightningModule):
    # TODO(t2l): T2L954 training_step branches on optimizer_idx in a shape t2l does not know: rewrite it with self.automatic_optimization = False and self.optimizers()
    def training_step(self, batch, batch_idx, optimizer_idx):
        return {0: self.g_loss, 1: self.d_loss}[optimizer_idx](batch)
