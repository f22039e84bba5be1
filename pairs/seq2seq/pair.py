"""What the harness needs to know about this pair; `t2l` finds every pairs/<name>/pair.py."""

from pairs.data import translation
from pairs.seq2seq.model import summarise

SUMMARY = "GRU encoder-decoder with attention, English -> French: a time-step loop, clipping, LR schedule"
EPOCHS = 6
LOSSES = ("loss",)  # what each training batch hands to backward(), in order
OPTIMIZER_STEPS_PER_BATCH = 1  # max_steps and Lightning's global_step count optimizer steps
METRIC = ("val_bleu", "max")  # the headline validation figure, and which direction is better
ARTIFACTS = ()  # files each side writes under its --root-dir, compared byte for byte
SUMMARISE = summarise  # one epoch's validation_step outputs -> its metrics


def train_batches(batch_size: int, data: str) -> int:
    return -(-len(translation.load(data).train) // batch_size)
