"""English -> French seq2seq, Lightning: the time-step loop stays inside the model; clipping and the LR schedule
move to `Trainer(gradient_clip_val=...)` and the dict returned by `configure_optimizers`.

    python -m pairs.seq2seq.lightning --epochs 3
    python -m pairs.seq2seq.lightning --precision bf16-mixed             # Trainer(precision=...)
    torchrun --nproc-per-node 2 -m pairs.seq2seq.lightning --devices 2   # Trainer(devices=2, strategy="ddp")
    python -m pairs.seq2seq.lightning --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show seq2seq`, `sdiff -w 200 plain.py lightning.py`): the sections have the
same names in the same order.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader

from pairs import arguments, checkpoints_lightning
from pairs.data import translation
from pairs.seq2seq.model import CLIP_NORM, LEARNING_RATE, LR_DECAY, Seq2Seq, sequence_loss, texts


class Translator(pl.LightningModule):
    # --- Model ---------------------------------------------------------------------------------
    def __init__(self, batch_size: int = 64, data: str = "embedded", lr: float = LEARNING_RATE):
        super().__init__()
        self.save_hyperparameters()  # `data` rebuilds the same vocabularies in load_from_checkpoint
        self.model = Seq2Seq.for_corpus(data)

    def forward(self, source: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return self.model(source, target)

    # --- Data ----------------------------------------------------------------------------------
    def train_dataloader(self) -> DataLoader:  # with DDP, Lightning adds the DistributedSampler itself
        train = translation.dataset("train", self.hparams.data)  # (English, French) ids
        return DataLoader(train, self.hparams.batch_size, shuffle=True, collate_fn=translation.collate)

    def val_dataloader(self) -> DataLoader:
        val = translation.dataset("val", self.hparams.data)
        return DataLoader(val, self.hparams.batch_size, collate_fn=translation.collate)

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
        self.log("val_loss", loss, prog_bar=True, sync_dist=True)
        return {
            "loss": loss,
            "tokens": int((target != translation.PAD).sum()),
            "hypotheses": texts(self.model.greedy(source), self.hparams.data),
            "references": texts(target, self.hparams.data),
        }


# --- Fit loop ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> Translator:
    args = arguments.parse(argv, __doc__, epochs=6)
    pl.seed_everything(args.seed, verbose=False)  # right before building, as on the plain side
    model = Translator(batch_size=args.batch_size, data=args.data)
    checkpointing = [
        ModelCheckpoint(dirpath=args.checkpoint_dir, save_top_k=-1, save_last=True),  # after every validation
        checkpoints_lightning.RandomState(),  # ours: RNG states in the checkpoint, and a seal
    ]
    trainer = pl.Trainer(
        max_epochs=args.epochs,
        max_steps=args.max_steps,
        accelerator=args.accelerator,
        devices=args.devices,
        strategy="ddp" if args.devices > 1 else "auto",  # the processes themselves are started by torchrun
        precision=args.precision,
        deterministic=args.accelerator == "gpu",
        gradient_clip_val=CLIP_NORM,  # clip_grad_norm_ over the optimizer's parameters, before step()
        gradient_clip_algorithm="norm",
        default_root_dir=args.root_dir,  # TensorBoard logs go under here; `t2l translate` reads checkpoints
        callbacks=checkpointing if args.checkpoint or args.resume else [],
    )
    # ckpt_path: ours picks last.ckpt, or an older one if it is damaged; a plain "last" works too.
    resume_from = checkpoints_lightning.newest_readable(args.checkpoint_dir) if args.resume else None
    trainer.fit(model, ckpt_path=resume_from, weights_only=True)
    return model


if __name__ == "__main__":
    main()
