import torch
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
gradient_accumulation_steps, max_iters, eval_only = 3, 8, False


def get_batch():
    return torch.randn(8, 4), torch.randn(8, 1)


X, Y = get_batch()
iter_num = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 14."""

    def __init__(self, X, Y, iter_num, model):
        super().__init__()
        self.automatic_optimization = False  # a step under a condition no Trainer flag expresses: we call backward and step
        self.X = X
        self.Y = Y
        self.iter_num = iter_num
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, micro_batch, batch_idx):
        optimizer = self.optimizers()
        self.iter_num = micro_batch // gradient_accumulation_steps
        if micro_batch % gradient_accumulation_steps == 0:
            if self.iter_num == 0 and eval_only:
                self.trainer.should_stop = True
                return None
        loss = torch.nn.functional.mse_loss(self.model(self.X), self.Y) / gradient_accumulation_steps
        self.X, self.Y = get_batch()
        self.manual_backward(loss)
        if (micro_batch + 1) % gradient_accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        self.log_dict({"loss": loss})

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3)
        return [optimizer]


lit_model = LitModel(X=X, Y=Y, iter_num=iter_num, model=model)
trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=range((max_iters + 1) * gradient_accumulation_steps))
