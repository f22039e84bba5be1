import pytorch_lightning as pl


class Logged(pl.LightningModule):
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_closure):
        self.log("lr", optimizer.param_groups[0]["lr"])
        super().optimizer_step(epoch, batch_idx, optimizer, optimizer_closure)
