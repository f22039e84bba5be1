import pytorch_lightning as pl
trainer = pl.Trainer()
# TODO(t2l): T2L955 trainer.tune() was removed: use Tuner(trainer).lr_find / scale_batch_size
trainer.tune(model)
