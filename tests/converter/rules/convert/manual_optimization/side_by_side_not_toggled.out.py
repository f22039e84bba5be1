import torch
import pytorch_lightning as pl

torch.manual_seed(0)
x, y = torch.randn(16, 2), torch.randn(16, 1)
net_a = torch.nn.Linear(2, 1)
net_b = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Dropout(0.5), torch.nn.Linear(4, 1))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, net_a, net_b, x, y):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.net_a = net_a
        self.net_b = net_b
        self.x = x
        self.y = y

    def training_step(self, step, batch_idx):
        opt_a, opt_b = self.optimizers()
        loss_a = torch.nn.functional.mse_loss(self.net_a(self.x), self.y)
        loss_b = torch.nn.functional.mse_loss(self.net_b(self.x), self.y)
        opt_a.zero_grad()
        opt_b.zero_grad()
        self.manual_backward(loss_a)
        self.manual_backward(loss_b)
        opt_a.step()
        opt_b.step()
        self.log_dict({"loss_a": loss_a, "loss_b": loss_b})

    def configure_optimizers(self):
        opt_a = torch.optim.SGD(self.net_a.parameters(), lr=0.1)
        opt_b = torch.optim.SGD(self.net_b.parameters(), lr=0.1)
        return [opt_a, opt_b]


lit_model = LitModel(net_a=net_a, net_b=net_b, x=x, y=y)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(10))
