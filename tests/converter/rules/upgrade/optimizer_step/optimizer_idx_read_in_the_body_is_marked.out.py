import pytorch_lightning as pl


class TwoRates(pl.LightningModule):
    # TODO(t2l): T2L971 optimizer_step reads `optimizer_idx`, which 2.x no longer passes (it calls optimizer_step(epoch, batch_idx, optimizer, optimizer_closure))
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, closure, on_tpu=False, using_native_amp=False, using_lbfgs=False):
        if optimizer_idx == 0:
            optimizer.step(closure=closure)
