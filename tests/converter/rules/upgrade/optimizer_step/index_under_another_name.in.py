import pytorch_lightning as pl


class Clipped(pl.LightningModule):
    def optimizer_step(self, current_epoch, batch_nb, optimizer, optimizer_i, second_order_closure=None, on_tpu=False,
                       using_native_amp=False, using_lbfgs=False):
        optimizer.step(closure=second_order_closure)
        optimizer.zero_grad()
