import pytorch_lightning as pl
# TODO(t2l): T2L952 removed `resume_from_checkpoint="last.ckpt"`: pass ckpt_path= to trainer.fit
trainer = make(pl.Trainer())
