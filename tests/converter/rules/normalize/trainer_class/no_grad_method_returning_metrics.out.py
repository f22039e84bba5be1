import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


data = TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,)))
model = nn.Linear(8, 3)
train_loader = DataLoader(data, batch_size=16)
val_loader = DataLoader(data, batch_size=32)
criterion = nn.CrossEntropyLoss()
best = float("inf")


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, model, criterion, best, val_loader):
        super().__init__()
        self.model = model
        self.criterion = criterion
        self.best = best
        self.val_loader = val_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        inputs, labels = batch
        loss = self.criterion(self.model(inputs), labels)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.total_loss, self.correct = 0.0, 0

    def validation_step(self, batch, batch_idx):
        evaluate_inputs, evaluate_labels = batch
        outputs = self.model(evaluate_inputs)
        self.total_loss += self.criterion(outputs, evaluate_labels).item() * evaluate_inputs.size(0)
        self.correct += (outputs.argmax(dim=1) == evaluate_labels).sum().item()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        val_loss, val_acc = (self.total_loss / len(self.val_loader.dataset), self.correct / len(self.val_loader.dataset))
        self.log("val_acc", val_acc)
        self.log("val_loss", val_loss)
        if val_loss < self.best:
            self.best = val_loss
            torch.save(self.model.state_dict(), "best.pt")


lit_model = LitModel(model=model, criterion=criterion, best=best, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
