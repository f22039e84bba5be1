import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint


def make_trainer():
    return pl.Trainer(
        gpus=2,
        auto_select_gpus=True,
        precision=16,
        distributed_backend="ddp",
        replace_sampler_ddp=False,
        progress_bar_refresh_rate=0,
        checkpoint_callback=False,
        weights_summary=None,
        terminate_on_nan=True,
        reload_dataloaders_every_epoch=True,
        weights_save_path="weights",
        profiler=True,
        track_grad_norm=2,
        accumulate_grad_batches={0: 1, 4: 2},
        flush_logs_every_n_steps=100,
        callbacks=[ModelCheckpoint()],
    )
