import torch
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.lr_scheduler = None
        if self.current_epoch == 0:
            self.lr_scheduler = torch.optim.lr_scheduler.LinearLR(self.optimizers(), start_factor=0.01, total_iters=3)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, batch_idx):
        if self.lr_scheduler is not None:
            self.lr_scheduler.step()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": lr_scheduler}}


def main():
    model = torch.nn.Linear(4, 1)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
    lit_model = LitModel(model=model)
    trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)


main()
