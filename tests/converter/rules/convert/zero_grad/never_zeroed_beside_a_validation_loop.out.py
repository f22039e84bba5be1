import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(6, 3)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total = 0.0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.total += nn.functional.cross_entropy(self.model(x), y).item()

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3)
        return optimizer

    def optimizer_zero_grad(self, epoch, batch_idx, optimizer):
        pass  # the loop never zeroed the gradients: they add up over all steps

    def on_validation_model_zero_grad(self):
        pass  # the loop never zeroed the gradients around its evaluation

    def on_train_epoch_end(self):
        self.model.eval()
        print(self.current_epoch, self.total / len(valid_loader))


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=valid_loader)
