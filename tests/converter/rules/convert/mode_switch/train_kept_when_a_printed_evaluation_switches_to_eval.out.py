import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
train = DataLoader(TensorDataset(torch.randn(32, 6), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
val_x, val_y = torch.randn(20, 6), torch.randint(0, 3, (20,))
model = torch.nn.Sequential(torch.nn.Linear(6, 24), torch.nn.Dropout(0.3), torch.nn.Linear(24, 3))


def evaluate(net):
    net.eval()
    with torch.no_grad():
        return (net(val_x).argmax(1) == val_y).float().mean().item()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 19."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        optimizer, head_optimizer = self.optimizers()
        self.toggle_optimizer(optimizer)
        self.model.train()
        loss = torch.nn.functional.cross_entropy(self.model(x), y)
        optimizer.zero_grad()
        self.manual_backward(loss)
        optimizer.step()
        self.untoggle_optimizer(optimizer)
        self.toggle_optimizer(head_optimizer)
        head_loss = self.model(x).pow(2).mean()
        head_optimizer.zero_grad()
        self.manual_backward(head_loss)
        head_optimizer.step()
        self.untoggle_optimizer(head_optimizer)
        if i % 3 == 0:
            print(f"epoch {self.current_epoch} step {i}: val acc {evaluate(self.model):.3f}")
        self.log_dict({"loss": loss, "head_loss": head_loss})

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        head_optimizer = torch.optim.SGD(self.model[2].parameters(), lr=1e-2)
        return [optimizer, head_optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train)
