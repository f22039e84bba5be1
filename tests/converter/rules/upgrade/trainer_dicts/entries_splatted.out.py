import pytorch_lightning as pl


def build_trainer(config):
    trainer_kwargs = dict(max_epochs=config["epochs"])
    trainer_kwargs["strategy"] = "ddp"
    trainer_kwargs['use_distributed_sampler'] = False
    if config["multi_gpu"]:
        trainer_kwargs["strategy"] = "ddp"
    # TODO(t2l): T2L962 Trainer flag "gpus" set in a dict splatted into Trainer(**...) was removed or changed in 2.0: set its 2.x keys (gpus -> accelerator + devices, checkpoint_callback -> enable_checkpointing or callbacks; see the upgrade guide)
    trainer_kwargs["gpus"] = config["gpus"]
    trainer_kwargs["accelerator"] = "cpu"
    return pl.Trainer(**trainer_kwargs)


other = {}
other["gpus"] = 1  # not splatted into a Trainer: not a Trainer flag here
