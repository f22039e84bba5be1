import pytorch_lightning as pl


class Reporter(pl.Callback):
    def on_validation_epoch_end(self, trainer, pl_module):
        if trainer.running_sanity_check:
            return
        model = trainer.get_model()
        lr = trainer.lr_schedulers[0]["scheduler"].get_last_lr()[0]
        print(model.current_epoch, lr, trainer.resume_from_checkpoint)


class Module(pl.LightningModule):
    def validation_epoch_end(self, outputs):
        epoch = -1 if self.trainer.running_sanity_check else self.current_epoch
        self.log("epoch", epoch)


class SamplerEpochs(pl.Callback):
    def on_train_epoch_start(self, trainer, pl_module):
        sampler = trainer.train_dataloader.loaders.batch_sampler
        if hasattr(sampler, "set_epoch"):
            sampler.set_epoch(trainer.current_epoch)
