import torch
import pytorch_lightning as pl

G = torch.nn.Linear(4, 2)
D = torch.nn.Linear(2, 1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 2)), batch_size=16)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, D, G):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.D = D
        self.G = G

    def training_step(self, batch, batch_idx):
        real, = batch
        opt_D, opt_G = self.optimizers()
        self.toggle_optimizer(opt_D)
        for _ in range(3):
            d_loss = self.D(self.G(torch.randn(16, 4)).detach()).mean() - self.D(real).mean()
            opt_D.zero_grad()
            self.manual_backward(d_loss)
            self.log("d_loss", d_loss)
            opt_D.step()
        self.untoggle_optimizer(opt_D)
        self.toggle_optimizer(opt_G)
        g_loss = -self.D(self.G(torch.randn(16, 4))).mean()
        opt_G.zero_grad()
        self.manual_backward(g_loss)
        opt_G.step()
        self.untoggle_optimizer(opt_G)
        self.log_dict({"g_loss": g_loss})

    def configure_optimizers(self):
        opt_G = torch.optim.Adam(self.G.parameters())
        opt_D = torch.optim.Adam(self.D.parameters())
        return [opt_D, opt_G]


lit_model = LitModel(D=D, G=G)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
