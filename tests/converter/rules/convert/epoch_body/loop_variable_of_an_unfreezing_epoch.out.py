import torch
from torch import nn
import pytorch_lightning as pl

backbone = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
head = nn.Linear(16, 2)
model = nn.Sequential(backbone, head)
for p in backbone.parameters():
    p.requires_grad = False


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, backbone, model, head):
        super().__init__()
        self.backbone = backbone
        self.model = model
        self.head = head

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        if self.current_epoch == 2:
            for p in self.backbone.parameters():
                p.requires_grad = True
            self.optimizers().add_param_group({"params": self.backbone.parameters(), "lr": 0.005})

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.head.parameters(), lr=0.05)
        return optimizer


lit_model = LitModel(backbone=backbone, model=model, head=head)
trainer = pl.Trainer(max_epochs=4, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
