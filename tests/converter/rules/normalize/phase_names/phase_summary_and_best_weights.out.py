import copy

import torch
from torch import nn
import pytorch_lightning as pl

model = nn.Linear(4, 2)
loaders = {"train": [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(4)],
           "val": [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(2)]}
best_acc, best_weights = 0.0, copy.deepcopy(model.state_dict())


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model, best_acc, best_weights):
        super().__init__()
        self.model = model
        self.best_acc = best_acc
        self.best_weights = best_weights

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.correct = 0
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        out = self.model(x)
        loss = nn.functional.cross_entropy(out, y)
        self.correct += (out.argmax(1) == y).sum().item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        acc = self.correct / (8 * len(loaders["train"]))
        print(f"train accuracy {acc:.3f}")
        self.model.eval()
        self.correct = 0
        for x, y in loaders["val"]:
            with torch.no_grad():
                out = self.model(x)
                loss = nn.functional.cross_entropy(out, y)
            self.correct += (out.argmax(1) == y).sum().item()
        acc = self.correct / (8 * len(loaders["val"]))
        print(f"val accuracy {acc:.3f}")
        if acc > self.best_acc:
            self.best_acc, self.best_weights = acc, copy.deepcopy(self.model.state_dict())


lit_model = LitModel(model=model, best_acc=best_acc, best_weights=best_weights)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=torch.utils.data.DataLoader(loaders["train"], batch_size=None, generator=torch.Generator()))

model.load_state_dict(lit_model.best_weights)
