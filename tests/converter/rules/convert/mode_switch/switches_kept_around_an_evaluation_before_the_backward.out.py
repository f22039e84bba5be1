import torch
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.Dropout(0.3), torch.nn.Linear(16, 2))
val_x, val_y = torch.randn(12, 4), torch.randint(0, 2, (12,))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model, val_x, val_y):
        super().__init__()
        self.model = model
        self.val_x = val_x
        self.val_y = val_y

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, it, batch_idx):
        if it % 4 == 0:
            self.model.eval()
            with torch.no_grad():
                accuracy = (self.model(self.val_x).argmax(1) == self.val_y).float().mean().item()
            self.model.train()
        x = torch.randn(8, 4)
        loss = torch.nn.functional.cross_entropy(self.model(x), (x[:, 0] > 0).long())
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model, val_x=val_x, val_y=val_y)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(12))
