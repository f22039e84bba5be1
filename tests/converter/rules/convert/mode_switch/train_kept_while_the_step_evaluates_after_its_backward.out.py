import torch
import pytorch_lightning as pl

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1))
test_x = torch.randn(8, 4)
predictions = []


def batches():
    while True:
        yield torch.randn(2, 4), torch.randn(2, 1)


data = batches()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, data, model, test_x):
        super().__init__()
        self.automatic_optimization = False  # two optimizers: we call backward and step
        self.data = data
        self.model = model
        self.test_x = test_x

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, step, batch_idx):
        optimizer, head_optimizer = self.optimizers()
        self.model.train()
        x, y = next(self.data)
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        optimizer.zero_grad()
        self.manual_backward(loss)
        optimizer.step()
        head_loss = self.model(x).pow(2).mean()
        head_optimizer.zero_grad()
        self.manual_backward(head_loss)
        head_optimizer.step()
        if step % 4 == 0:
            self.model.eval()
            with torch.no_grad():
                predictions.append(self.model(self.test_x).mean().item())
        self.log_dict({"loss": loss, "head_loss": head_loss})

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        head_optimizer = torch.optim.SGD(self.model[2].parameters(), lr=0.1)
        return [optimizer, head_optimizer]


lit_model = LitModel(data=data, model=model, test_x=test_x)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range(16))
