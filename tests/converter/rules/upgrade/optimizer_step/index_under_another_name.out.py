import pytorch_lightning as pl


class Clipped(pl.LightningModule):
    def optimizer_step(self, current_epoch, batch_nb, optimizer, second_order_closure=None):
        optimizer.step(closure=second_order_closure)
        optimizer.zero_grad()
