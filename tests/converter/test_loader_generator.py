"""A training DataLoader shuffled by the script's own generator (`shuffle=True, generator=g`, the reproducibility
recipe) is given to fit as `ReadToItsEnd(loader)`, which asks for the loader's end with its last batch (T2L178).

The loop's last `next()` runs the end of RandomSampler's `__iter__`, which draws once more from `g`; at the loader's
known length Lightning never asks for it, and from the second epoch on every shuffle differed (a clean exit). The
control gives fit the loader itself: the first epoch's losses equal, the rest not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import fed_every_epoch, verify_beside_control

RECIPE = Path(__file__).parent / "fixtures/reproducible_loader_seeded_generator_and_workers.in.py"
HEAD = """import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

data = TensorDataset(torch.randn(16, 2))
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
g = torch.Generator().manual_seed(0)
"""
LOOP = "for epoch in range(3):\n    for (x,) in loader:\n        optimizer.zero_grad()\n        loss = model(x).sum()\n" \
       "        loss.backward()\n        optimizer.step()\n"  # fmt: skip


def _fit_line(setup: str) -> str:
    output, _ = convert_source(HEAD + setup + LOOP, "t.py")
    return next(line for line in output.splitlines() if ".fit(" in line)


@pytest.mark.parametrize("loader", [
    "DataLoader(data, batch_size=4, shuffle=True, generator=g)",
    "DataLoader(data, batch_size=4, sampler=RandomSampler(data, generator=g))",
])  # fmt: skip
def test_a_loader_shuffled_by_the_script_s_generator_is_read_to_its_end(loader):
    assert _fit_line(f"loader = {loader}\n").endswith("train_dataloaders=ReadToItsEnd(loader))")


def test_a_loader_passed_to_the_train_function_is_read_where_the_call_builds_it():
    source = HEAD + "loader = DataLoader(data, batch_size=4, shuffle=True, generator=g)\n\n\ndef train(batches):\n" + \
        "".join(f"    {line}\n" for line in LOOP.replace("for (x,) in loader:", "for (x,) in batches:").splitlines()) + "\n\ntrain(loader)\n"  # fmt: skip
    output, report = convert_source(source, "t.py")
    assert "T2L178" in {f.code for f in report.findings} and "train_dataloaders=ReadToItsEnd(batches)" in output


@pytest.mark.parametrize("loader", [
    "DataLoader(data, batch_size=4, shuffle=True)",  # the sampler's private generator, made each epoch
    "DataLoader(data, batch_size=4, generator=g)",  # no shuffle: the generator draws only the workers' seed
    "DataLoader(data, batch_size=4, shuffle=False, generator=g)",
    "DataLoader(data, batch_size=4, sampler=RandomSampler(data))",
    "DataLoader(data, batch_size=4, shuffle=True, generator=g, num_workers=2)",  # indices fetched ahead: run to the end
])  # fmt: skip
def test_other_loaders_are_given_as_they_are(loader):
    assert _fit_line(f"loader = {loader}\n").endswith("train_dataloaders=loader)")


@pytest.mark.slow  # two verify runs (about 15 s)
def test_every_epoch_shuffles_as_the_loop_did(tmp_path):
    output, report = convert_source(RECIPE.read_text(), RECIPE.name)
    assert "T2L178" in {f.code for f in report.findings}
    control = output.replace("ReadToItsEnd(train_loader)", "train_loader")
    results = verify_beside_control(RECIPE, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 15  # 3 epochs of 5 batches
    assert results["control"].failed is None and not results["control"].bitwise_equal
    assert results["control"].first_difference == 5  # the second epoch's first batch


@pytest.mark.slow  # one verify run (about 8 s)
def test_a_loader_without_a_length_would_draw_the_data_s_noise_a_batch_early(tmp_path):
    """Why ReadToItsEnd keeps the length: an EveryEpoch (read to its end, no length) is read a batch ahead, and the
    data set's torch noise for the next batch is drawn before the step's dropout."""
    output, _ = convert_source(RECIPE.read_text(), RECIPE.name)
    unsized = fed_every_epoch(output, "train_loader")
    (tmp_path / "unsized.py").write_text(unsized)
    from converter.verify import verify

    result = verify(RECIPE, tmp_path / "unsized.py", [], steps=30, cwd=tmp_path)
    assert result.failed is None and not result.bitwise_equal
