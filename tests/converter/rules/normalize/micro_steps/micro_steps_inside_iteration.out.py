import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
accumulation_steps = 4


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 7."""

    def __init__(self, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, micro_batch, batch_idx):
        optimizer = self.optimizers()
        x, y = torch.randn(8, 4), torch.randn(8, 1)
        loss = torch.nn.functional.mse_loss(self.model(x), y) / accumulation_steps
        self.manual_backward(loss)
        if (micro_batch + 1) % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3)
        return [optimizer]


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(10 * accumulation_steps))
