import pytorch_lightning as pl
def train(model):
    trainer = pl.Trainer(auto_lr_find=True, max_epochs=3)
    trainer.tune(model)
    trainer.fit(model)
