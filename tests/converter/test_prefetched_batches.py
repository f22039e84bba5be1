"""Lightning reads a train loader without a length (an IterableDataset, a generator) one batch ahead, before
training_step runs. Where each batch draws from the RNG the training draws from too (dropout, noise), every draw
lands elsewhere: the conversion exited 0 and every loss differed. Marked T2L930 at the data's definition; the cases
it leaves alone are those where the order of draws does not change. A map-style data set drawing in `__getitem__`
behind an iterator fit gets without a length (`filter(keep, loader)`) is marked too; behind one it gets with a length
(the DataLoader, its islice or iter, a generator yielding once per batch) it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter.convert import convert_source
from converter.verify import verify

CASES = Path(__file__).parent / "rules" / "convert" / "prefetched_batches"
STREAM = (CASES / "iterable_dataset_drawing_beside_dropout.in.py").read_text()
DRAW = "            x = torch.rand(1) * 6.28\n"


def _marked(source: str) -> bool:
    output, report = convert_source(source, "train.py")
    marked = any(f.code == "T2L930" for f in report.findings)
    assert marked == ("# TODO(t2l): T2L930" in output)
    return marked


@pytest.mark.parametrize("change", [
    pytest.param(lambda s: s.replace(DRAW, "            x = torch.tensor([random.random() * 6.28])\n").replace(
        "import torch\n", "import random\n\nimport torch\n", 1), id="the data draws from random, dropout from torch"),
    pytest.param(lambda s: s.replace(DRAW, "            x = torch.rand(1, generator=self.g) * 6.28\n").replace(
        "    def __iter__(self):\n", "    g = torch.Generator().manual_seed(0)\n\n    def __iter__(self):\n"),
        id="the data draws from a generator of its own"),
    pytest.param(lambda s: s.replace("nn.Dropout(0.2), ", ""), id="nothing in the training draws"),
    pytest.param(lambda s: s.replace(DRAW, "").replace("        for _ in range(32):\n", "        x = torch.rand(1) * 6.28\n"
                 "        for _ in range(32):\n"), id="one draw before the first yield, at the epoch's first batch"),
])  # fmt: skip
def test_left_alone_where_the_order_of_draws_stays(change):
    source = change(STREAM)
    assert source != STREAM
    assert not _marked(source)


def test_a_sized_data_set_drawing_in_getitem_is_not_read_ahead():
    source = STREAM.replace("IterableDataset", "Dataset").replace("    def __iter__(self):\n        for _ in range(32):\n"
                            "            x = torch.rand(1) * 6.28\n            yield x, torch.sin(x)\n",
                            "    def __len__(self):\n        return 32\n\n    def __getitem__(self, i):\n"
                            "        x = torch.rand(1) * 6.28\n        return x, torch.sin(x)\n")  # fmt: skip
    assert "__getitem__" in source
    assert not _marked(source)


def test_a_generator_yielding_once_per_batch_of_a_data_loader_has_its_length():
    """Noise drawn per batch in a generator function over a DataLoader: fit gets it with the DataLoader's length
    (SizedEachEpoch), which Lightning does not read ahead. The control is the same generator over a range."""
    generator = (CASES / "generator_augmenting_each_batch_beside_noise_in_the_step.in.py").read_text()
    over_a_loader = generator.replace("def batches(batch_size=16):\n    for i in range(0, len(inputs), batch_size):\n"
                                      "        x = inputs[i : i + batch_size]\n", "def batches(loader):\n    for x, y in loader:\n")
    over_a_loader = over_a_loader.replace("yield x * torch.empty_like(x).uniform_(0.9, 1.1), targets[i : i + batch_size]",
                                          "yield x * torch.empty_like(x).uniform_(0.9, 1.1), y")
    over_a_loader = over_a_loader.replace("in batches():", "in batches(loader):").replace(
        "\n\n\ndef batches", "\nloader = DataLoader(TensorDataset(inputs, targets), batch_size=16)\n\n\ndef batches").replace(
        "from torch import nn\n", "from torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset\n")  # fmt: skip
    assert "for x, y in loader:" in over_a_loader and "in batches(loader):" in over_a_loader
    assert not _marked(over_a_loader)
    assert "SizedEachEpoch(lambda: batches(loader), lambda: len(loader))" in convert_source(over_a_loader, "t.py")[0]
    assert _marked(generator)


FILTERED = (CASES / "filtered_loader_over_a_data_set_drawing_in_getitem.in.py").read_text()
FILTER = "filter(lambda batch: batch[0].abs().max() < 2, loader)"


@pytest.mark.parametrize("header", [
    "loader",  # a DataLoader: its length known, nothing read ahead
    "iter(loader)",  # fit gets the loader (T2L180)
    "islice(loader, 4)",  # fit gets the loader, limit_train_batches=4 (T2L172)
    "(batch for batch in loader)",  # one per batch: the loader's length (SizedEachEpoch)
])  # fmt: skip
def test_a_data_set_drawing_in_getitem_behind_a_loader_with_a_length_is_not_marked(header):
    source = FILTERED.replace(FILTER, header).replace("import torch\n", "from itertools import islice\n\nimport torch\n", 1)
    assert header in source
    assert not _marked(source)
    assert _marked(FILTERED)  # the control: behind a filter, fit gets an EveryEpoch without a length


def test_a_filtered_loader_is_marked_at_the_data_set_that_draws():
    output, report = convert_source(FILTERED, "train.py")
    assert [f.line for f in report.findings if f.code == "T2L930"] == [6]  # `class Jittered(Dataset):`
    own = FILTERED.replace("torch.rand(1)", "torch.rand(1, generator=self.g)").replace(
        "    def __len__(self):", "    g = torch.Generator().manual_seed(0)\n\n    def __len__(self):")  # fmt: skip
    assert not _marked(own)


@pytest.mark.slow  # two verify runs each
@pytest.mark.parametrize("case", sorted(CASES.glob("*.in.py")), ids=lambda p: p.name.split(".")[0])
def test_the_marked_conversion_computes_other_losses_and_one_generator_of_its_own_is_the_fix(case, tmp_path: Path):
    """What the mark says: the losses differ. The control of the mark's advice: the same script with the data drawing
    from a torch.Generator of its own converts unmarked and verifies bitwise."""
    source = case.read_text()
    for name, text in (("marked", source), ("own_generator", _own_generator(source))):
        script = tmp_path / f"{name}.py"
        script.write_text(text)
        output, report = convert_source(text, script.name)
        converted = tmp_path / f"{name}_lightning.py"
        converted.write_text(output)
        result = verify(script, converted, [], steps=8, cwd=tmp_path)
        assert result.failed is None
        assert result.bitwise_equal is (name == "own_generator")
        assert any(f.code == "T2L930" for f in report.findings) is (name == "marked")


def _own_generator(source: str) -> str:
    fixed = source.replace("torch.rand(1)", "torch.rand(1, generator=DATA_RNG)").replace(
        "torch.empty_like(x).uniform_(0.9, 1.1)", "(0.9 + 0.2 * torch.rand(x.shape, generator=DATA_RNG))")
    assert fixed != source
    return fixed.replace("\n\n\n", "\n\nDATA_RNG = torch.Generator().manual_seed(0)\n\n\n", 1)
