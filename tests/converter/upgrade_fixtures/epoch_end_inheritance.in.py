# t2l-fixture: run
"""Epoch-end and step-end hooks across a class hierarchy (T2L220, T2L221): a base scorer whose validation_step is
abstract but whose validation_step_end post-processes every subclass's output, a subclass that edits the outputs
and hands them on with super().validation_epoch_end(outputs), and a subclass that sums outputs of an inherited
training_step. The asserts check that each hook saw each batch's output once, post-processed once."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F

from tiny import loader

BATCHES = 4  # 64 rows, 16 per batch


class BaseScorer(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.seen = []

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.layer(x), y)
        return {"loss": loss, "rows": len(x)}

    def validation_step(self, batch, batch_idx):
        raise NotImplementedError

    def validation_step_end(self, step_output):
        step_output["scores"] = step_output["scores"].cpu()
        step_output["post_processed"] = step_output.get("post_processed", 0) + 1
        return step_output

    def validation_epoch_end(self, outputs):
        self.seen.append(len(outputs))
        assert all(o["post_processed"] == 1 for o in outputs)
        self.log("val_score", torch.cat([o["scores"] for o in outputs]).mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)


class NormalisedScorer(BaseScorer):
    def validation_step(self, batch, batch_idx):
        x, _ = batch
        return {"scores": self.layer(x).squeeze(1)}

    def validation_epoch_end(self, outputs):
        top = max(float(o["scores"].abs().max()) for o in outputs)
        for output in outputs:
            output["scores"] = output["scores"] / top
        super().validation_epoch_end(outputs)


class RowCounter(BaseScorer):
    def validation_step(self, batch, batch_idx):
        return {"scores": self.layer(batch[0]).squeeze(1)}

    def training_epoch_end(self, outputs):
        self.rows = sum(o["rows"] for o in outputs)
        assert not any(o["loss"].requires_grad for o in outputs)


for model in (NormalisedScorer(), RowCounter()):
    trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, logger=False, enable_checkpointing=False)
    trainer.fit(model, loader(), loader())
    assert model.seen == [BATCHES, BATCHES], model.seen
    print(type(model).__name__, model.seen, round(float(trainer.callback_metrics["val_score"]), 4))
assert abs(float(trainer.callback_metrics["val_score"])) > 0
assert model.rows == 64, model.rows
model = NormalisedScorer()
trainer = pl.Trainer(max_epochs=1, num_sanity_val_steps=0, logger=False, enable_checkpointing=False)
trainer.fit(model, loader(), loader())
assert abs(float(trainer.callback_metrics["val_score"])) <= 1.0
