import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
labels = ("low", "high")
net = torch.nn.Linear(3, 2)
train_data = DataLoader(TensorDataset(torch.randn(24, 3), torch.randint(0, 2, (24,))), batch_size=6, shuffle=True)
val_data = DataLoader(TensorDataset(torch.randn(12, 3), torch.randint(0, 2, (12,))), batch_size=6)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *args, **kwargs):
        return self.net(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        features, target = batch
        loss = torch.nn.functional.cross_entropy(self.net(features), target)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.hits = {name: 0 for name in labels}
        self.seen = {name: 0 for name in labels}

    def validation_step(self, batch, batch_idx):
        features, target = batch
        for t, p in zip(target, self.net(features).argmax(1)):
            self.hits[labels[t]] += int(t == p)
            self.seen[labels[t]] += 1

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.net.parameters(), lr=0.01)
        return opt

    def on_train_epoch_end(self):
        worst = min(self.hits[name] / self.seen[name] for name in labels if self.seen[name])
        torch.save({"worst_class_accuracy": worst}, "summary.pt")


lit_model = LitModel(net=net)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_data, val_dataloaders=val_data)
