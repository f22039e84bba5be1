import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1))
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
probe = torch.randn(4, 4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, model, probe):
        super().__init__()
        self.model = model
        self.probe = probe

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, i):
        x, y = batch
        output = self.model(x)
        loss = torch.nn.functional.mse_loss(output, y)
        # TODO(t2l): T2L923 the code at line 17 runs after optimizer.step() in the loop and reads the model, but uses `output` from the loop: in training_step it runs before Lightning's step, on the weights of one update earlier; move it to on_train_batch_end (it runs after the step) with what it needs
        if i % 2 == 0:
            self.model.eval()
            print(output.mean().item(), self.model(self.probe).mean().item())
            self.model.train()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model, probe=probe)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
