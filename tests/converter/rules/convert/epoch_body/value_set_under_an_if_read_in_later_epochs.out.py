import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 2)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 2, (16,))), batch_size=4)
best_val = 0.0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, best_val):
        super().__init__()
        self.model = model
        self.best_val = best_val

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        val, test = evaluate(self.model)
        if val > self.best_val:
            self.best_val = val
            self.test_at_best = test
        print(f"epoch {self.current_epoch}: val {val:.3f}, test at the best val {self.test_at_best:.3f}")


lit_model = LitModel(model=model, best_val=best_val)
trainer = pl.Trainer(max_epochs=5, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
