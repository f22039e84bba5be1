"""English -> French seq2seq, Lightning: the time-step loop stays inside the model; clipping and the
LR schedule move to `Trainer(gradient_clip_val=...)` and the dict returned by `configure_optimizers`.

Read it beside plain.py (`t2l show seq2seq`): the sections have the same names in the same order.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader

from pairs import translation
from pairs.config import RunConfig
from pairs.lightning_setup import checkpointing, resume_path
from pairs.record import Recorder
from pairs.recorder_callback import RecorderCallback
from pairs.seq2seq.model import CLIP_NORM, LEARNING_RATE, LR_DECAY, Seq2Seq, build_model, sequence_loss, texts


class Translator(pl.LightningModule):
    # --- Model ---------------------------------------------------------------------------------
    def __init__(self, batch_size: int = 64, data: str = "embedded", lr: float = LEARNING_RATE):
        super().__init__()
        self.save_hyperparameters()  # `data` rebuilds the same vocabularies in load_from_checkpoint
        self.model: Seq2Seq = build_model(data)

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return self.model(source, target)

    # --- Data ----------------------------------------------------------------------------------
    def train_dataloader(self) -> DataLoader:
        return translation.dataloader("train", self.hparams.batch_size, self.hparams.data)

    def val_dataloader(self) -> DataLoader:
        return translation.dataloader("val", self.hparams.batch_size, self.hparams.data)

    # --- Optimizer -----------------------------------------------------------------------------
    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=LR_DECAY)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "epoch"}}

    # --- Training step -------------------------------------------------------------------------
    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        source, target = batch  # (B, S), (B, T)
        loss = sequence_loss(self(source, target), target)  # the time-step loop is inside model()
        self.log("train_loss", loss)
        return loss  # Lightning: zero_grad, backward, clip (gradient_clip_val), step

    # --- Validation ----------------------------------------------------------------------------
    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> dict:
        source, target = batch
        loss = sequence_loss(self(source, target), target)
        self.log("val_loss", loss, prog_bar=True)
        return {
            "loss": loss,
            "tokens": int((target != translation.PAD).sum()),
            "hypotheses": texts(self.model.greedy(source), self.hparams.data),
            "references": texts(target, self.hparams.data),
        }


# --- Fit loop ----------------------------------------------------------------------------------
def fit(config: RunConfig, recorder: Recorder) -> Seq2Seq:
    pl.seed_everything(config.seed, verbose=False)  # right before building, as on the plain side
    model = Translator(batch_size=config.batch_size, data=config.data)
    trainer = pl.Trainer(
        max_epochs=config.epochs,
        max_steps=config.max_steps,
        accelerator=config.accelerator,
        devices=config.devices,
        strategy="ddp" if config.devices > 1 else "auto",  # processes launched by torchrun
        precision=config.precision,
        deterministic=config.accelerator == "gpu",
        gradient_clip_val=CLIP_NORM,  # clip_grad_norm_ over the optimizer's parameters, before step()
        gradient_clip_algorithm="norm",
        default_root_dir=config.root_dir,  # logs, and the checkpoint `t2l translate` loads
        callbacks=[RecorderCallback(recorder, grad_norm=True), *checkpointing(config)],
        enable_progress_bar=False,  # `t2l check` draws one progress bar for both sides
        enable_model_summary=False,
    )
    trainer.fit(model, ckpt_path=resume_path(config), weights_only=True)
    return model.model
