import torch
import pytorch_lightning as pl

torch.manual_seed(0)
w_true = torch.randn(5, 1)
model = torch.nn.Linear(5, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 7."""

    def __init__(self, model, w_true):
        super().__init__()
        self.model = model
        self.w_true = w_true

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, it, batch_idx):
        x = torch.randn(32, 5)
        y = x @ self.w_true
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        if loss.item() < 1e-3:
            print(f"converged at iteration {it}")
            self.trainer.should_stop = True
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model, w_true=w_true)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(500))
print(f"final loss {lit_model.loss.item():.6f}")
