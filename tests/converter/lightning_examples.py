"""Lightning 1.5's own examples (`pl_examples`, shipped in the pytorch-lightning 1.5.0 wheel), upgraded by one
`t2l upgrade --write` and run on the installed Lightning 2.x: fake data, one epoch of 2 batches per stage.

    python -m tests.converter.lightning_examples      # a table: each script, its upgrade, its run on 2.x

The wheel and the examples' own dependencies (six; jsonargparse for LightningCLI; scikit-learn for the k-fold
example) are fetched once with pip into the cache (`$T2L_CACHE`, else ~/.cache/torch2lightning), never into the
project's environment. torchvision and gym are the project's test-only stand-ins (tests/stand_ins), data sets at
their real sizes (the examples split MNIST 55000/5000). Each script runs through run_upgraded.py, which puts one
CPU device where an example asks for GPUs.

`EXPECTED` says what each script must do: run to the end, or fail at a line the upgrade marked with TODO(t2l) (what
2.x removed with no replacement), or fail as it already did on 1.5. The slow test holds the project to it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from converter.upgrade.sweep import cache_dir, fetch

WHEEL = "pytorch-lightning==1.5.0"
DEPENDENCIES = ("six==1.17.0", "jsonargparse==4.53.0", "docstring-parser==0.18.0", "typeshed-client==2.15.0",
                "scikit-learn==1.9.1", "scipy==1.17.1", "joblib==1.6.0", "threadpoolctl==3.8.0")  # fmt: skip
STAND_INS = Path(__file__).resolve().parents[1] / "stand_ins"
RUNNER = Path(__file__).resolve().parent / "run_upgraded.py"
BATCHES = 2

RUNS, MARKED, BROKEN_IN_1X = "runs", "fails at a marked line", "fails as on 1.5"
# script (under pl_examples/) -> (what it must do, why, its command-line arguments; {data} is a scratch folder)
EXPECTED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "bug_report_model.py": (RUNS, "", ()),
    "basic_examples/autoencoder.py": (RUNS, "", ()),
    "basic_examples/backbone_image_classifier.py": (RUNS, "", ()),
    "basic_examples/profiler_example.py": (RUNS, "", ("fit",)),
    "basic_examples/mnist_examples/image_classifier_4_lightning_module.py": (RUNS, "", ()),
    "basic_examples/mnist_examples/image_classifier_5_lightning_datamodule.py": (RUNS, "", ()),
    "domain_templates/computer_vision_fine_tuning.py": (RUNS, "", ("fit",)),
    "domain_templates/generative_adversarial_net.py": (RUNS, "", ()),
    "domain_templates/imagenet.py": (RUNS, "", ("--data-path", "{data}")),
    "domain_templates/reinforce_learn_Qnet.py": (RUNS, "", ()),
    "domain_templates/reinforce_learn_ppo.py": (RUNS, "", ()),
    "domain_templates/semantic_segmentation.py":
        (BROKEN_IN_1X, "main() reads hparams.log_wandb, which no parser defines", ("--data_path", "{data}")),
    "integration_examples/dali_image_classifier.py": (RUNS, "", ()),
    "ipu_examples/mnist.py": (RUNS, "", ()),
    "loop_examples/kfold.py": (MARKED, "the 1.5 loops API (Loop, fit_loop.connect) has no 2.x counterpart", ()),
    "loop_examples/yielding_training_step.py":
        (MARKED, "the 1.5 loops API (OptimizerLoop) has no 2.x counterpart", ()),
}  # fmt: skip
FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


@dataclass
class Outcome:
    script: str
    expected: str
    why: str
    upgrade: str  # the upgrade's summary line for the script
    returncode: int
    seconds: float
    failure: str = ""  # the last line of the traceback
    marked_line: bool = False  # the failing line of the script carries a TODO(t2l) just above it

    @property
    def ran(self) -> bool:
        return self.returncode == 0

    @property
    def as_expected(self) -> bool:
        if self.expected == RUNS:
            return self.ran
        if self.expected == MARKED:
            return not self.ran and self.marked_line
        return not self.ran and not self.marked_line


def fetch_examples() -> Path:
    """The pl_examples folder of the 1.5.0 wheel (downloaded once). Raises OSError offline."""
    return fetch((WHEEL,))[0] / "pl_examples"


def fetch_dependencies() -> Path:
    """The examples' own imports, pip-installed once into a folder of the cache (put on PYTHONPATH for the runs)."""
    target = cache_dir() / "pl_examples-dependencies"
    if not (target / ".complete").exists():
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                                 *DEPENDENCIES], capture_output=True, text=True)  # fmt: skip
        if result.returncode != 0:
            raise OSError(f"pip install of the examples' dependencies failed (offline?): {result.stderr.strip()[-300:]}")
        (target / ".complete").touch()
    return target


def upgrade(examples: Path, into: Path) -> dict[str, str]:
    """Copy the examples to `into` and run `t2l upgrade --write` over them once; each script's status and TODOs."""
    shutil.copytree(examples, into / "pl_examples")
    report = into / "upgrade.json"
    subprocess.run([sys.executable, "-m", "pairs.harness.cli", "upgrade", str(into / "pl_examples"), "--write",
                    "--json", str(report)], capture_output=True, text=True, cwd=into)  # fmt: skip
    summary = {}
    for entry in json.loads(report.read_text()):
        todos = sum(f["kind"] == "todo" for f in entry["findings"])
        script = Path(entry["path"]).relative_to(into / "pl_examples").as_posix()
        summary[script] = f"{entry['status']} ({todos})" if todos else entry["status"]
    return summary


def _fake_data(folder: Path) -> Path:
    """A scratch data folder: KITTI-shaped PNGs for the segmentation example; other examples use the stand-ins."""
    from PIL import Image

    for sub, mode in (("image_2", "RGB"), ("semantic", "L")):
        (folder / "training" / sub).mkdir(parents=True, exist_ok=True)
        for i in range(4):
            Image.new(mode, (128, 64)).save(folder / "training" / sub / f"frame_{i}.png")
    for split in ("train", "val"):
        (folder / split).mkdir(exist_ok=True)
    return folder


def run(root: Path, script: str, dependencies: Path, summary: str) -> Outcome:
    expected, why, arguments = EXPECTED[script]
    data = _fake_data(Path(tempfile.mkdtemp(prefix="t2l-data-", dir=root)))
    work = Path(tempfile.mkdtemp(prefix="t2l-run-", dir=root))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, (STAND_INS, root, dependencies))),
           "T2L_STAND_IN_SIZES": "real", "T2L_RUN_BATCHES": str(BATCHES), "PL_DISABLE_FORK": "1",
           "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}  # fmt: skip
    path = root / "pl_examples" / script
    command = [sys.executable, str(RUNNER), str(path), *(a.format(data=data) for a in arguments)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=600)
    outcome = Outcome(script, expected, why, summary, result.returncode, time.perf_counter() - start)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        outcome.failure = lines[-1] if lines else f"exit {result.returncode}"
        frames = [m for m in FRAME.finditer(result.stderr) if Path(m["file"]).resolve() == path.resolve()]
        if frames:
            line = int(frames[-1]["line"])
            above = path.read_text().splitlines()[max(0, line - 3) : line - 1]
            outcome.marked_line = any("TODO(t2l)" in text for text in above)
    return outcome


def run_all(workers: int = 2) -> list[Outcome]:
    examples, dependencies = fetch_examples(), fetch_dependencies()
    root = Path(tempfile.mkdtemp(prefix="t2l-pl-examples-"))
    summaries = upgrade(examples, root)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda s: run(root, s, dependencies, summaries.get(s, "?")), EXPECTED))


def main() -> int:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    try:
        with console.status(f"upgrading and running {len(EXPECTED)} examples of {WHEEL}, {BATCHES} batches a stage"):
            outcomes = run_all()
    except OSError as error:
        console.print(f"[red]{error}[/red]")
        return 3
    table = Table(title=f"{WHEEL} pl_examples after one `t2l upgrade --write`, run on the installed Lightning")
    for column in ("script", "upgrade", "on 2.x", "s", "expected", "why / failure"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        verdict = "[green]ran[/green]" if o.ran else ("[yellow]marked line[/yellow]" if o.marked_line else "[red]failed[/red]")
        mark = "" if o.as_expected else " [red](not as expected)[/red]"
        table.add_row(o.script, o.upgrade, verdict, f"{o.seconds:.0f}", o.expected + mark, o.why or o.failure)
    console.print(table)
    ran = sum(o.ran for o in outcomes)
    console.print(f"{ran} of {len(outcomes)} ran; {sum(o.as_expected for o in outcomes)} as expected")
    return 0 if all(o.as_expected for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
