import pytorch_lightning as pl

# gpus=0 meant CPU; accelerator="ddp" was the strategy: both survive (the CPU choice was once lost, and 2.x's
# "auto" would have taken a GPU). resume_from_checkpoint=None resumed nothing: it goes without a mark.
trainer = pl.Trainer(gpus=0, accelerator="ddp", resume_from_checkpoint=None, max_epochs=3)
