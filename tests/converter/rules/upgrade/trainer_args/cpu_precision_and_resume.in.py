import pytorch_lightning as pl
def train(model, loader):
    trainer = pl.Trainer(accelerator="cpu", precision=16, resume_from_checkpoint="last.ckpt")
    trainer.fit(model, train_dataloader=loader)
    trainer.test(model, test_dataloaders=loader)
