"""`t2l upgrade` over real Lightning 1.x code (lightning-bolts 0.4/0.5 and nine 1.x-era libraries, wheels from PyPI).

Marked slow (a download once, then a minute or two): `python -m pytest -m slow tests/converter/test_upgrade_sweep.py`.
Skipped with a message when the wheels cannot be downloaded. The counter is tested on its own in every run.
"""

from __future__ import annotations

import pytest

from converter.upgrade.legacy import count
from converter.upgrade.sweep import fetch, sweep


@pytest.mark.slow
def test_real_1x_code_never_crashes_parses_and_is_idempotent():
    try:
        roots = fetch()
    except OSError as error:
        pytest.skip(f"the 1.x corpus cannot be downloaded here: {error}")
    files = [p for root in roots for p in sorted(root.rglob("*.py"))]
    assert len(files) > 1000
    result = sweep(files)
    assert result.crashes == [] and result.unparsable == [] and result.not_idempotent == []
    assert sum(result.after.values()) <= 0.10 * sum(result.before.values()), (result.before, result.after)


def test_the_counter_counts_code_not_comments():
    source = (
        "import pytorch_lightning as pl\n"
        "# TODO(t2l): T2L951 removed `gpus=2`\n"
        "trainer = pl.Trainer(gpus=2, **{'tpu_cores': 8})\n"
        "options = dict(auto_lr_find=True)\n"
        "class M(pl.LightningModule):\n"
        "    def training_step(self, batch, batch_idx, optimizer_idx):\n"
        "        return None\n"
        "    def training_epoch_end(self, outputs):\n"
        "        pass\n"
        "from pytorch_lightning.metrics import Accuracy\n"
    )
    assert count(source) == {"Trainer flags": 3, "optimizer_idx": 1, "hooks": 1, "moved imports": 1}
    assert count("x = 1  # gpus=2 in a comment, lightning\n") == {}
    assert count('"""lightning: pass distributed_backend=dp"""\nmodel = SwAV(gpus=2)\ncheckpoint_callback = 1\n') == {}


def test_the_counter_reads_trainer_subclasses_hook_calls_and_other_packages_trainers():
    source = (
        "import pytorch_lightning as pl\n"
        "from scvi.train import Trainer\n"
        "from pytorch_lightning.utilities.cli import MODEL_REGISTRY\n"
        "trainer = Trainer(gpus=1)\n"  # scvi's own Trainer takes gpus: not a 1.x use
        "class Runner(pl.Trainer):\n"
        "    def __init__(self, gpus):\n"
        "        super().__init__(gpus=gpus, weights_summary=None)\n"
        "class M(pl.LightningModule):\n"
        "    def on_validation_epoch_end(self):\n"
        "        super().validation_epoch_end(self.outputs)\n"
        "cli_args = ['fit', '--trainer.gpus=1', '--trainer.max_epochs=2']\n"
    )
    assert count(source) == {"Trainer flags": 3, "hooks": 1, "moved imports": 2}
