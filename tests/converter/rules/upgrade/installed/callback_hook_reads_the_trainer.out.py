import pytorch_lightning as pl


class DeviceLogger(pl.Callback):
    def on_train_start(self, trainer, pl_module):
        # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: a 2.x Trainer has no `root_gpu`
        print(trainer.root_gpu)  # 1.x only: marked
        print(trainer.global_step, trainer.max_epochs)  # 2.x has these


def unrelated(trainer):
    return trainer.root_gpu  # not a Lightning hook: `trainer` may be anything here
