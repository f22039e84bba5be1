import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

generator = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
critic = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.LeakyReLU(0.2), torch.nn.Linear(6, 1))
samples = DataLoader(TensorDataset(torch.randn(48, 3)), batch_size=12, shuffle=True)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, critic, generator):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.critic = critic
        self.generator = generator

    def training_step(self, batch, batch_idx):
        real, = batch
        opt_critic, opt_gen = self.optimizers()
        self.toggle_optimizer(opt_critic)
        opt_critic.zero_grad()
        loss = self.critic(self.generator(torch.randn(12, 3)).detach()).mean() - self.critic(real).mean()
        self.manual_backward(loss)
        opt_critic.step()
        self.untoggle_optimizer(opt_critic)
        self.toggle_optimizer(opt_gen)
        opt_gen.zero_grad()
        loss_1 = -self.critic(self.generator(torch.randn(12, 3))).mean()
        self.manual_backward(loss_1)
        opt_gen.step()
        self.untoggle_optimizer(opt_gen)
        self.log_dict({"loss": loss, "loss_1": loss_1})

    def configure_optimizers(self):
        opt_critic = torch.optim.RMSprop(self.critic.parameters(), lr=5e-5)
        opt_gen = torch.optim.RMSprop(self.generator.parameters(), lr=5e-5)
        return [opt_critic, opt_gen]


lit_model = LitModel(critic=critic, generator=generator)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=samples)
