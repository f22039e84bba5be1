"""Every pair reads as a pair: the same sections, in the same order, on every side."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pairs.harness.registry import PAIRS, SIDES
from pairs.harness.show import PREAMBLE, kept_and_changed, sections

REQUIRED = ["Model", "Data", "Optimizer", "Training step", "Validation", "Fit loop"]


@pytest.mark.parametrize("name", list(PAIRS))
def test_sides_have_the_same_sections_in_the_same_order(name):
    pair = PAIRS[name]
    names = {side: [s.name for s in sections(pair.source(side))] for side in SIDES}
    assert names["plain"] == names["fabric"] == names["lightning"]
    assert names["plain"][0] == PREAMBLE
    found = [n for n in names["plain"] if n in REQUIRED]
    assert found == REQUIRED, f"{name}: sections {names['plain']}"


@pytest.mark.parametrize("name", list(PAIRS))
def test_plain_side_does_not_import_lightning(name):
    imports = [
        line for line in PAIRS[name].source("plain").read_text().splitlines() if line.startswith(("import", "from"))
    ]
    assert imports and not any("lightning" in line for line in imports)


# The torch calls each plain.py teaches, written inline (issue: "plain.py is a PyTorch training script").
TAUGHT = ["dist.init_process_group(", "DistributedDataParallel(", "DistributedSampler(", ".set_epoch(epoch)",
          "dist.all_reduce(", "torch.autocast(", "cache_enabled=False", "torch.save(", "os.replace(",
          "torch.get_rng_state()", "torch.set_rng_state(", "weights_only=True", "optimizer", ".backward()"]  # fmt: skip


@pytest.mark.parametrize("name", list(PAIRS))
def test_plain_side_writes_out_ddp_autocast_and_checkpoints_with_torch_apis(name):
    source = PAIRS[name].source("plain").read_text()
    missing = [call for call in TAUGHT if call not in source]
    assert not missing, f"{name}/plain.py lacks {missing}"


@pytest.mark.parametrize("name", list(PAIRS))
def test_pair_folders_import_no_harness_and_no_converter(name):
    for path in (PAIRS[name].source("plain").parent).glob("*.py"):
        imports = [line for line in path.read_text().splitlines() if line.startswith(("import", "from"))]
        assert not [line for line in imports if "harness" in line or "converter" in line or "record" in line], path


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("name", list(PAIRS))
def test_each_side_is_a_script_with_help(name, side, capsys):
    module = PAIRS[name].module(side)
    with pytest.raises(SystemExit) as exit_:
        module.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "--epochs" in out and "--devices" in out and "--resume" in out and "python -m pairs." in out


def test_a_plain_script_runs_from_its_path(tmp_path):
    """`python pairs/mnist_mlp/plain.py`, as a learner runs a PyTorch example: trains, validates, prints."""
    script = PAIRS["mnist_mlp"].source("plain")
    done = subprocess.run([sys.executable, str(script), "--max-steps", "70", "--root-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("epoch 0: val_loss ") and "val_acc" in done.stdout


@pytest.mark.parametrize("name", list(PAIRS))
def test_fabric_side_keeps_most_of_plain_py_and_the_readme_says_how_much(name):
    """fabric.py is plain.py with Fabric's lines: the pair README's figures are the files' own."""
    pair = PAIRS[name]
    kept, total, diff = kept_and_changed(pair.source("plain"), pair.source("fabric"))
    assert kept > total / 2
    readme = (pair.source("plain").parent / "README.md").read_text()
    assert f"It keeps {kept} of plain.py's {total}\nlines unchanged; `diff plain.py fabric.py` lists {diff} lines" in readme
    code = "\n".join(line.split("#")[0] for line in pair.source("fabric").read_text().splitlines())
    assert "pytorch_lightning" not in code  # Fabric alone: no LightningModule, no Trainer
    for call in ("Fabric(", "fabric.launch()", "fabric.setup(", "fabric.setup_dataloaders(", "fabric.backward(",
                 "fabric.autocast()", "fabric.all_reduce(", "fabric.save(", "fabric.load("):  # fmt: skip
        assert call in code, f"{name}/fabric.py lacks {call}"
    for torch_only in ("init_process_group(", "DistributedDataParallel(", "DistributedSampler(", ".backward()"):
        assert torch_only not in code, f"{name}/fabric.py still calls {torch_only} itself"
