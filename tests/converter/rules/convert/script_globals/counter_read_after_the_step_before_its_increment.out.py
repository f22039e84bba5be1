import torch
import pytorch_lightning as pl

torch.manual_seed(0)
x, y = torch.randn(256, 4), torch.randn(256, 1)
model = torch.nn.Linear(4, 1)
base_lr = 0.1
global_step = 0


def noise_scale():
    return 1.0 / (1 + global_step)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model, x, y):
        super().__init__()
        self.model = model
        self.x = x
        self.y = y

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, i, batch_idx):
        global global_step
        idx = torch.randint(0, 256, (32,))
        loss = torch.nn.functional.mse_loss(self.model(self.x[idx] + noise_scale() * torch.randn(32, 4)), self.y[idx])
        global_step += 1
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, i, batch_idx):
        for group in self.optimizers().param_groups:
            group["lr"] = base_lr * 0.5 ** ((global_step - 1) / 10)  # the steps before this one

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=base_lr)
        return optimizer


lit_model = LitModel(model=model, x=x, y=y)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(40))
