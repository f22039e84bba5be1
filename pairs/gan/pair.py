"""What the harness needs to know about this pair; `t2l` finds every pairs/<name>/pair.py."""

from pairs.data import mnist
from pairs.gan.model import summarise

SUMMARY = "GAN on MNIST digits: two optimizers in one step, manual optimization"
EPOCHS = 15
LOSSES = ("d_loss", "g_loss")  # what each training batch hands to backward(), in order
OPTIMIZER_STEPS_PER_BATCH = 2  # max_steps and Lightning's global_step count optimizer steps
METRIC = ("g_loss", "min")  # the headline validation figure, and which direction is better
ARTIFACTS = ("samples/*.png",)  # files each side writes under its --root-dir, compared byte for byte
SUMMARISE = summarise  # one epoch's validation_step outputs -> its metrics


def train_batches(batch_size: int, data: str) -> int:
    return -(-len(mnist.load(data).train) // batch_size)
