import pytorch_lightning as pl

# TODO(t2l): T2L951 removed `truncated_bptt_steps=4`: truncated BPTT was removed: split the sequence in training_step with manual optimization
trainer = pl.Trainer(max_epochs=2,
                     logger=False,
                     enable_checkpointing=False,
                     enable_progress_bar=False)
