import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

critic, generator = torch.nn.Linear(2, 1), torch.nn.Linear(2, 2)  # models built in one line
loader = DataLoader(TensorDataset(torch.randn(16, 2)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, critic, generator):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.critic = critic
        self.generator = generator

    def training_step(self, batch, i):
        real, = batch
        opt_c, opt_g = self.optimizers()
        self.toggle_optimizer(opt_c)
        z = torch.randn(4, 2)
        c_loss = self.critic(self.generator(z).detach()).mean() - self.critic(real).mean()
        opt_c.zero_grad()
        self.manual_backward(c_loss)
        opt_c.step()
        self.untoggle_optimizer(opt_c)
        self.toggle_optimizer(opt_g)
        if i % 3 == 0:
            z = torch.randn(4, 2)
            g_loss = -self.critic(self.generator(z)).mean()
            self.g_loss = g_loss  # the last value bound, read after the batches
            opt_g.zero_grad()
            self.manual_backward(g_loss)
            self.log("g_loss", g_loss)
            opt_g.step()
        self.untoggle_optimizer(opt_g)
        self.log_dict({"c_loss": c_loss})
        self.c_loss = c_loss  # the last batch's, read after it

    def configure_optimizers(self):
        opt_c = torch.optim.Adam(self.critic.parameters())
        opt_g = torch.optim.Adam(self.generator.parameters())
        return [opt_c, opt_g]

    def on_train_epoch_end(self):
        print(self.current_epoch, self.c_loss.item(), self.g_loss.item())


lit_model = LitModel(critic=critic, generator=generator)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
