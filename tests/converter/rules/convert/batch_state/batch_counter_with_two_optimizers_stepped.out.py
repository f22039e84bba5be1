import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

encoder, decoder = torch.nn.Linear(4, 2), torch.nn.Linear(2, 4)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
batches = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, batches, decoder, encoder):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.batches = batches
        self.decoder = decoder
        self.encoder = encoder

    def training_step(self, batch, batch_idx):
        x, = batch
        opt_enc, opt_dec = self.optimizers()
        self.toggle_optimizer(opt_enc)
        opt_enc.zero_grad()
        loss = torch.nn.functional.mse_loss(self.encoder(x), x[:, :2])
        self.manual_backward(loss)
        opt_enc.step()
        self.untoggle_optimizer(opt_enc)
        self.toggle_optimizer(opt_dec)
        opt_dec.zero_grad()
        loss_1 = torch.nn.functional.mse_loss(self.decoder(x[:, :2]), x)
        self.manual_backward(loss_1)
        opt_dec.step()
        self.untoggle_optimizer(opt_dec)
        self.batches += 1
        self.log_dict({"loss": loss, "loss_1": loss_1})

    def configure_optimizers(self):
        opt_enc = torch.optim.SGD(self.encoder.parameters(), lr=0.1)
        opt_dec = torch.optim.SGD(self.decoder.parameters(), lr=0.1)
        return [opt_enc, opt_dec]


lit_model = LitModel(batches=batches, decoder=decoder, encoder=encoder)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print("batches", lit_model.batches)
