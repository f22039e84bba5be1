import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import BaseFinetuning
from pytorch_lightning.utilities.rank_zero import rank_zero_only


class Model(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        return self.layer(batch[0]).sum()

    def lr_scheduler_step(self, scheduler, metric):
        scheduler.step()

    def on_train_epoch_end(self):
        print("epoch")

    # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: `Model` defines `on_train_epoch_end` again: this one replaces the first
    def on_train_epoch_end(self):
        print("end")

    @rank_zero_only
    def report(self):
        # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: a 2.x Trainer has no `root_gpu`
        print(self.trainer.root_gpu, self.trainer.current_epoch)


class Printer(pl.Callback):
    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        pass

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        pass  # 2.x's own form: one loader, no dataloader_idx

    def on_train_epoch_end(self, trainer, pl_module):
        pass


class Unfreeze(BaseFinetuning):
    def finetune_function(self, pl_module, epoch, optimizer):
        pass

    def freeze_before_training(self, pl_module):
        pass


trainer = pl.Trainer(max_epochs=1, enable_checkpointing=True)
# TODO(t2l): T2L960 the installed Lightning 2.x rejects this: a 2.x Trainer has no `root_gpu`
print(trainer.max_epochs, trainer.root_gpu)
