import pytorch_lightning as pl
import torch


class TwoNets(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.automatic_optimization = False  # was Trainer(automatic_optimization=False)
        self.gen = torch.nn.Linear(4, 4)
        self.disc = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        (x,) = batch
        opt_g, opt_d = self.optimizers()
        g_loss = self.disc(self.gen(x)).mean()
        self.manual_backward(g_loss)
        opt_g.step()
        opt_g.zero_grad()  # 1.1's manual_optimizer_step did both
        d_loss = (self.disc(x) - self.disc(self.gen(x).detach())).pow(2).mean()
        self.manual_backward(d_loss, retain_graph=True)
        opt_d.step()
        opt_d.zero_grad()
        self.log("d_loss", d_loss)

    def configure_optimizers(self):
        return [torch.optim.SGD(self.gen.parameters(), lr=0.01), torch.optim.SGD(self.disc.parameters(), lr=0.01)]


def train(loader):
    trainer = pl.Trainer(max_epochs=1)
    model = TwoNets()
    trainer.fit(model, loader)
    return model
