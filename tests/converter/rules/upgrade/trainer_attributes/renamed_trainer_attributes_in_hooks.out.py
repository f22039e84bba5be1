import pytorch_lightning as pl


class Reporter(pl.Callback):
    def on_validation_epoch_end(self, trainer, pl_module):
        if trainer.sanity_checking:
            return
        model = trainer.lightning_module
        lr = trainer.lr_scheduler_configs[0].scheduler.get_last_lr()[0]
        print(model.current_epoch, lr, trainer.ckpt_path)


class Module(pl.LightningModule):
    def on_validation_epoch_end(self):
        epoch = -1 if self.trainer.sanity_checking else self.current_epoch
        self.log("epoch", epoch)


class SamplerEpochs(pl.Callback):
    def on_train_epoch_start(self, trainer, pl_module):
        sampler = trainer.train_dataloader.batch_sampler
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(trainer.current_epoch)
