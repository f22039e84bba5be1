import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint, GradientAccumulationScheduler
from pytorch_lightning.accelerators import find_usable_cuda_devices


def make_trainer():
    # TODO(t2l): T2L951 removed `track_grad_norm=2`: log grad_norm(self, norm_type=2) in the LightningModule's on_before_optimizer_step
    return pl.Trainer(
        accelerator="gpu",
        devices=find_usable_cuda_devices(2),
        precision="16-mixed",
        strategy="ddp",
        use_distributed_sampler=False,
        enable_progress_bar=False,
        enable_checkpointing=False,
        enable_model_summary=False,
        detect_anomaly=True,
        reload_dataloaders_every_n_epochs=1,
        default_root_dir="weights",
        profiler="simple",
        callbacks=[ModelCheckpoint(), GradientAccumulationScheduler(scheduling={0: 1, 4: 2})],
    )
