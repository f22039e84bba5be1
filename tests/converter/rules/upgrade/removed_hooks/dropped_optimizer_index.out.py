import pytorch_lightning as pl
from pytorch_lightning.callbacks import BaseFinetuning


class Milestones(BaseFinetuning):
    def freeze_before_training(self, pl_module):
        self.freeze(pl_module.backbone)

    def finetune_function(self, pl_module, epoch, optimizer):  # opt_idx unused: removed
        if epoch == 2:
            self.unfreeze_and_add_param_group(pl_module.backbone, optimizer)


class Model(pl.LightningModule):
    # TODO(t2l): T2L231 lr_scheduler_step reads optimizer_idx, which 2.x no longer passes: 2.x has one optimizer per call
    def lr_scheduler_step(self, scheduler, optimizer_idx, metric):  # optimizer_idx read: marked
        if optimizer_idx == 0:
            scheduler.step()
