import pytorch_lightning as pl
trainer = make(pl.Trainer(resume_from_checkpoint="last.ckpt"))
