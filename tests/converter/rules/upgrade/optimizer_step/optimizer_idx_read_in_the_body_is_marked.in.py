import pytorch_lightning as pl


class TwoRates(pl.LightningModule):
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, closure, on_tpu=False, using_native_amp=False, using_lbfgs=False):
        if optimizer_idx == 0:
            optimizer.step(closure=closure)
