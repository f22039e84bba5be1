import pytorch_lightning as pl
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint

save_every = True
trainer = pl.Trainer(checkpoint_callback=ModelCheckpoint(monitor="val_loss", save_top_k=3),
                     callbacks=[EarlyStopping(monitor="val_loss")], max_epochs=3)
quiet = pl.Trainer(checkpoint_callback=False)
configured = pl.Trainer(checkpoint_callback=save_every)
