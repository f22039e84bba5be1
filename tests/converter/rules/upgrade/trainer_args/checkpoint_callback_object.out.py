import pytorch_lightning as pl
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint

save_every = True
trainer = pl.Trainer(callbacks=[EarlyStopping(monitor="val_loss"), ModelCheckpoint(monitor="val_loss", save_top_k=3)],
                     max_epochs=3)
quiet = pl.Trainer(enable_checkpointing=False)
# TODO(t2l): T2L951 checkpoint_callback=save_every -> enable_checkpointing=save_every: if save_every is a ModelCheckpoint, pass it in callbacks=[...] instead (enable_checkpointing only tests truth)
configured = pl.Trainer(enable_checkpointing=save_every)
