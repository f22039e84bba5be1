import torch
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, out, outputs):
        super().__init__()
        self.model = model
        self.out = out
        self.outputs = outputs

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, x, batch_idx):
        out = self.model(x)
        loss = out.pow(2).mean()
        if not torch.isfinite(loss):
            return None
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        # TODO(t2l): T2L909 moved from the epoch-loop; reads `out`, which the training computed
        self.outputs.append(self.out.detach())


def run(epochs):
    model = torch.nn.Linear(4, 4)
    outputs = []
    # TODO(t2l): T2L925 `out` is read here, and nothing defines it where this runs: it would raise NameError
    lit_model = LitModel(model=model, out=out, outputs=outputs)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=torch.randn(2, 8, 4))


run(2)
