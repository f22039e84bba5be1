import pytorch_lightning as pl
class Model(pl.LightningModule):
    # TODO(t2l): T2L953 training_step_end was removed and training_step is not in this class: call it yourself
    def _training_step_end(self, outputs):
        return outputs
