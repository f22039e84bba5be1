import torch
import pytorch_lightning as pl

torch.manual_seed(0)
x, y = torch.randn(16, 2), torch.randn(16, 1)
net_a = torch.nn.Linear(2, 1)
net_b = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Dropout(0.5), torch.nn.Linear(4, 1))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, net_a, net_b):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.net_a = net_a
        self.net_b = net_b

    def on_train_epoch_start(self):
        self.opt_a = torch.optim.SGD(self.net_a.parameters(), lr=0.1)
        self.opt_b = torch.optim.SGD(self.net_b.parameters(), lr=0.1)

    def training_step(self, step, batch_idx):
        self.opt_a, self.opt_b = self.optimizers()
        loss_a = torch.nn.functional.mse_loss(self.net_a(x), y)
        loss_b = torch.nn.functional.mse_loss(self.net_b(x), y)
        self.opt_a.zero_grad()
        self.opt_b.zero_grad()
        self.manual_backward(loss_a)
        self.manual_backward(loss_b)
        self.opt_a.step()
        self.opt_b.step()
        self.log_dict({"loss_a": loss_a, "loss_b": loss_b})

    def configure_optimizers(self):
        self.opt_a = torch.optim.SGD(self.net_a.parameters(), lr=0.1)
        self.opt_b = torch.optim.SGD(self.net_b.parameters(), lr=0.1)
        return [self.opt_a, self.opt_b]


lit_model = LitModel(net_a=net_a, net_b=net_b)
trainer = pl.Trainer(max_epochs=1)
trainer.fit(lit_model, train_dataloaders=range(10))
