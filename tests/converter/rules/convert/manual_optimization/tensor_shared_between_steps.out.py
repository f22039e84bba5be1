import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
critic = torch.nn.Linear(1, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, critic, model):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.critic = critic
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        opt_critic, opt_model = self.optimizers()
        fake = self.model(x)
        opt_critic.zero_grad()
        critic_loss = torch.nn.functional.mse_loss(self.critic(fake.detach()), y)
        self.manual_backward(critic_loss)
        opt_critic.step()

        opt_model.zero_grad()
        model_loss = torch.nn.functional.mse_loss(self.critic(fake), y)
        self.manual_backward(model_loss)
        opt_model.step()
        self.log_dict({"critic_loss": critic_loss, "model_loss": model_loss})

    def configure_optimizers(self):
        opt_model = torch.optim.SGD(self.model.parameters(), lr=0.1)
        opt_critic = torch.optim.SGD(self.critic.parameters(), lr=0.1)
        return [opt_critic, opt_model]


lit_model = LitModel(critic=critic, model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
