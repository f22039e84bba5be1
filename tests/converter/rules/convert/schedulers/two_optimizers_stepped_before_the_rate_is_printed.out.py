import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

encoder = torch.nn.Linear(4, 2)
decoder = torch.nn.Linear(2, 4)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 13."""

    def __init__(self, decoder, encoder):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.decoder = decoder
        self.encoder = encoder

    def training_step(self, batch, batch_idx):
        x, = batch
        opt_enc, opt_dec = self.optimizers()
        opt_enc.zero_grad()
        code = self.encoder(x)
        loss = torch.nn.functional.mse_loss(code, x[:, :2])
        self.manual_backward(loss)
        opt_enc.step()
        opt_dec.zero_grad()
        loss_1 = torch.nn.functional.mse_loss(self.decoder(code.detach()), x)
        self.manual_backward(loss_1)
        opt_dec.step()
        self.log_dict({"loss": loss, "loss_1": loss_1})

    def configure_optimizers(self):
        opt_enc = torch.optim.Adam(self.encoder.parameters(), lr=0.01)
        opt_dec = torch.optim.Adam(self.decoder.parameters(), lr=0.01)
        sched_enc = torch.optim.lr_scheduler.StepLR(opt_enc, step_size=1, gamma=0.5)
        sched_dec = torch.optim.lr_scheduler.StepLR(opt_dec, step_size=1, gamma=0.5)
        return [opt_enc, opt_dec], [sched_enc, sched_dec]

    def on_train_epoch_end(self):
        self.lr_schedulers()[0].step()
        print("epoch", self.current_epoch, "encoder lr", self.lr_schedulers()[0].get_last_lr()[0])
        self.lr_schedulers()[1].step()


lit_model = LitModel(decoder=decoder, encoder=encoder)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
