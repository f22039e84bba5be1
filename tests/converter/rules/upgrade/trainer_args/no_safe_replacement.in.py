import pytorch_lightning as pl
trainer = pl.Trainer(strategy="ddp2", amp_backend="apex", amp_level="O2")
