"""`for (xs, ys), (xt, _) in zip(source, target):` over DataLoaders goes to fit as Lightning's
`CombinedLoader([source, target], mode="min_size")` (T2L179): zipped each epoch, of the shortest's length.

It went as `EveryEpoch(lambda: zip(source, target))`, which has no length: Lightning reads such a loader a batch
ahead, so the next batch's samples were drawn before the step's dropout. With a data set that adds torch noise to
each sample, every loss differed from the first (a clean exit). The control is that EveryEpoch. A zip with a
cycled loader (`zip(labeled, cycle(aux))`) goes as `SizedEachEpoch(lambda: zip(...), lambda: len(labeled))`: made each
epoch, as long as its DataLoaders; `for x, y in iter(loader):` gives fit the DataLoader itself (T2L180). So do the
other one-shot iterators over whole DataLoaders: `itertools.chain(real, synthetic)` (the sum of their lengths),
`map(f, loader)`, `(f(b) for b in loader)` and a generator function of the script that yields once per batch of
the DataLoader it is given (`on_device(loader)`) (the loader's length); each was an EveryEpoch, and a chained real and
noisy data set printed other numbers from the fourth loss on (the last real batch's step came after the synthetic
loader's start).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from tests.converter.fixtures import fed_every_epoch, verify_beside_control

ZIPPED = Path(__file__).parent / "fixtures/domain_loaders_zipped_noisy_samples.in.py"
SETUP = """import itertools

import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
a = DataLoader(TensorDataset(torch.randn(8, 2)), batch_size=4, shuffle=True)
b = DataLoader(TensorDataset(torch.randn(12, 2)), batch_size=4)
"""


def _fit_line(header: str) -> str:
    second = "model(xb).sum()" if "xb" in header else "0"
    loop = f"for epoch in range(2):\n    for {header}:\n        optimizer.zero_grad()\n" \
           f"        loss = model(xa).sum() + {second}\n        loss.backward()\n        optimizer.step()\n"  # fmt: skip
    output, _ = convert_source(SETUP + "other = iter(range(3))\n" + loop, "t.py")
    return next(line for line in output.splitlines() if ".fit(" in line)


def test_dataloaders_zipped_in_the_header_are_combined():
    line = _fit_line("(xa,), (xb,) in zip(a, b)")
    assert line.endswith('train_dataloaders=pl.utilities.CombinedLoader([a, b], mode="min_size"))')


def test_a_zip_with_a_cycled_loader_is_made_each_epoch_as_long_as_its_data_loaders():
    line = _fit_line("(xa,), (xb,) in zip(a, itertools.cycle(b))")
    assert line.endswith("train_dataloaders=SizedEachEpoch(lambda: zip(a, itertools.cycle(b)), lambda: len(a)))")


@pytest.mark.parametrize(("header", "made", "length"), [
    ("(xa,) in itertools.chain(a, b)", "itertools.chain(a, b)", "len(a) + len(b)"),
    ("(xa,) in map(tuple, a)", "map(tuple, a)", "len(a)"),
    ("(xa,) in ((x,) for (x,) in a)", "((x,) for (x,) in a)", "len(a)"),
])  # fmt: skip
def test_a_chain_map_or_generator_over_whole_data_loaders_keeps_their_length(header, made, length):
    assert _fit_line(header).endswith(f"train_dataloaders=SizedEachEpoch(lambda: {made}, lambda: {length}))")


@pytest.mark.parametrize("header", [
    "(xa,), xb in zip(a, other)",  # not a DataLoader: no length to take
    "(xa,), (xb,) in zip(a, b, strict=True)",
    "(xa,) in itertools.chain(a, other)",  # a part that is not a DataLoader
    "(xa,) in filter(None, a)",  # as long as what it keeps: not known
    "(xa,) in ((x,) for (x,) in a if x.sum() > 0)",
    "(xa,) in ((x,) for (x,) in a for _ in range(2))",
])  # fmt: skip
def test_other_one_shot_iterators_are_made_each_epoch_without_a_length(header):
    assert "train_dataloaders=EveryEpoch(lambda: " in _fit_line(header)


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_combined_loader_draws_as_the_zip_did(tmp_path):
    output, report = convert_source(ZIPPED.read_text(), ZIPPED.name)
    assert "T2L179" in {f.code for f in report.findings}
    assert 'train_dataloaders=pl.utilities.CombinedLoader([source, target], mode="min_size")' in output
    control = fed_every_epoch(output, "zip(source, target)")
    results = verify_beside_control(ZIPPED, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 0


def test_loaders_passed_to_the_function_holding_the_loop_are_read_where_the_call_builds_them():
    loop = "def fit(first, second):\n    for epoch in range(2):\n        for (xa,), (xb,) in zip(first, second):\n" \
           "            optimizer.zero_grad()\n            loss = model(xa).sum() + model(xb).sum()\n" \
           "            loss.backward()\n            optimizer.step()\n\n\nfit(a, b)\n"  # fmt: skip
    output, _ = convert_source(SETUP + loop, "t.py")
    assert 'train_dataloaders=pl.utilities.CombinedLoader([first, second], mode="min_size"))' in output
    output, _ = convert_source(SETUP + loop + "fit(a, iter(b))\n", "t.py")  # one call passes what is not a loader
    assert "EveryEpoch(lambda: zip(first, second))" in output


def test_iter_of_a_data_loader_is_the_data_loader():
    assert _fit_line("(xa,) in iter(a)").endswith("train_dataloaders=a)")


ITERATED = Path(__file__).parent / "fixtures/loop_over_iter_of_the_loader_noisy_samples.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_the_loader_of_an_iter_keeps_its_length(tmp_path):
    output, report = convert_source(ITERATED.read_text(), ITERATED.name)
    assert "T2L180" in {f.code for f in report.findings} and "train_dataloaders=loader)" in output
    control = fed_every_epoch(output, "iter(loader)")
    results = verify_beside_control(ITERATED, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 0


CYCLED = Path(__file__).parent / "fixtures/domain_loader_zipped_with_a_cycled_one_noisy_samples.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_zip_with_a_cycled_loader_keeps_a_length(tmp_path):
    output, _ = convert_source(CYCLED.read_text(), CYCLED.name)
    zipped = "SizedEachEpoch(lambda: zip(source, itertools.cycle(target)), lambda: len(source))"
    assert zipped in output
    control = fed_every_epoch(output, "zip(source, itertools.cycle(target))")
    results = verify_beside_control(CYCLED, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 12
    assert results["control"].failed is None and results["control"].first_difference == 0


CHAINED = Path(__file__).parent / "fixtures/real_then_synthetic_loaders_chained_noisy_samples.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_chain_of_data_loaders_keeps_their_length(tmp_path):
    output, _ = convert_source(CHAINED.read_text(), CHAINED.name)
    made = "itertools.chain(real_loader, synthetic_loader)"
    assert f"SizedEachEpoch(lambda: {made}, lambda: len(real_loader) + len(synthetic_loader))" in output
    control = fed_every_epoch(output, made)
    results = verify_beside_control(CHAINED, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 24
    # the first three steps are the real loader's; Lightning starts the synthetic one before the fourth
    assert results["control"].failed is None and results["control"].first_difference == 3


EACH = """

def each(batches, scale=1.0):
    for (x,) in batches:
{body}


for epoch in range(2):
    for (xa,) in each(a):
        optimizer.zero_grad()
        loss = model(xa).sum()
        loss.backward()
        optimizer.step()
"""


@pytest.mark.parametrize(("body", "sized"), [
    ("        yield (x * scale,)", True),
    ("        x = x * scale\n        yield (x,)", True),
    ("        if x.sum() > 0:\n            yield (x,)", False),  # as many as it keeps: not known
    ("        yield (x,)\n        yield (-x,)", False),
    ("        yield (x,)\n        if scale > 1:\n            break", False),
])  # fmt: skip
def test_a_generator_function_yielding_once_per_batch_keeps_its_loader_s_length(body, sized):
    output, report = convert_source(SETUP + EACH.format(body=body), "t.py")
    fit = next(line for line in output.splitlines() if ".fit(" in line)
    if sized:
        assert fit.endswith("train_dataloaders=SizedEachEpoch(lambda: each(a), lambda: len(a)))")
    else:
        assert fit.endswith("train_dataloaders=EveryEpoch(lambda: each(a)))")


THROUGH = Path(__file__).parent / "fixtures/noisy_loader_read_through_a_generator_function.in.py"


@pytest.mark.slow  # two verify runs (about 15 s)
def test_a_generator_function_over_a_data_loader_keeps_its_length(tmp_path):
    output, _ = convert_source(THROUGH.read_text(), THROUGH.name)
    assert "SizedEachEpoch(lambda: on_device(loader), lambda: len(loader))" in output
    control = fed_every_epoch(output, "on_device(loader)")
    results = verify_beside_control(THROUGH, output, control, 30, tmp_path)
    assert results["converted"].bitwise_equal and results["converted"].compared == 18
    assert results["control"].failed is None and results["control"].first_difference == 0
