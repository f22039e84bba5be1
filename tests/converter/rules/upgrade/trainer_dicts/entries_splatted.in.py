import pytorch_lightning as pl


def build_trainer(config):
    trainer_kwargs = dict(max_epochs=config["epochs"])
    trainer_kwargs["distributed_backend"] = "ddp"
    trainer_kwargs['replace_sampler_ddp'] = False
    if config["multi_gpu"]:
        trainer_kwargs["accelerator"] = "ddp"
    trainer_kwargs["gpus"] = config["gpus"]
    trainer_kwargs["accelerator"] = "cpu"
    return pl.Trainer(**trainer_kwargs)


other = {}
other["gpus"] = 1  # not splatted into a Trainer: not a Trainer flag here
