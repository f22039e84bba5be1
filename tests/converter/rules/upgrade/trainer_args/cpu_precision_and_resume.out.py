import pytorch_lightning as pl
def train(model, loader):
    trainer = pl.Trainer(accelerator="cpu", precision="bf16-mixed")
    trainer.fit(model, train_dataloaders=loader, ckpt_path="last.ckpt")
    trainer.test(model, dataloaders=loader)
