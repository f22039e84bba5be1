"""Fixture discovery: every `fixtures/<name>.in.py` with its expected `<name>.out.py`.

The first line of an input says how its output is checked:
  # t2l-fixture: verify --steps N [-- ARGS]   run both scripts, the losses must be bitwise equal
  # t2l-fixture: verify --steps N --torchrun P [-- ARGS]   ... each started by torchrun with P processes
  # t2l-fixture: unchanged                    the converter must leave the code as it is (TODO marks only)
Regenerate the expected outputs after a deliberate change with `T2L_UPDATE_FIXTURES=1 pytest tests/converter`,
then read the diff.

With `T2L_VERIFY_CACHE` set to a directory (`.ci/run` sets it), the fixture tests leave each `--verify` result
there (and each upgraded script's run), keyed by the scripts' texts, the arguments and the steps, and the site's
gallery (`t2l site build`) shows those results instead of running the same 300 scripts again (twelve minutes of CI). The tests themselves
always run their scripts.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class Fixture:
    name: str
    input: Path
    expected: Path
    mode: str
    steps: int
    args: tuple[str, ...]
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name

    @property
    def torchrun(self) -> int:
        """Processes torchrun starts for --verify (0: the script is run as it is)."""
        return int(self.options[self.options.index("--torchrun") + 1]) if "--torchrun" in self.options else 0


def named(name: str, directory: Path = FIXTURES) -> Fixture:
    return next(f for f in discover(directory) if f.name == name)


def verify_control(fixture: Fixture, change, tmp_path: Path):
    """--verify of a negative control: the fixture's expected output changed by `change` (a function of its text,
    which must change it), against the fixture's input, for the fixture's steps and arguments."""
    from converter.verify import verify

    output = fixture.expected.read_text()
    control = change(output)
    assert control != output, "the control must differ from the output"
    path = tmp_path / "control.py"
    path.write_text(control)
    return verify(fixture.input, path, list(fixture.args), steps=fixture.steps, cwd=tmp_path)


def verify_beside_control(original: Path, converted: str, control: str, steps: int, tmp_path: Path) -> dict:
    """--verify of a converted script and of its negative control (the converted text changed where the fix is),
    each against the same original: {"converted": Verification, "control": Verification}."""
    from converter.verify import verify

    assert control != converted, "the control must differ from the output"
    results = {}
    for name, text in (("converted", converted), ("control", control)):
        path = tmp_path / f"{name}.py"
        path.write_text(text)
        results[name] = verify(original, path, [], steps=steps, cwd=tmp_path)
    return results


def fed_every_epoch(output: str, made: str) -> str:
    """A control: the output with fit's training loader replaced by `EveryEpoch(lambda: made)`, one_shot_loader's
    class without a length, defined above the output's first class (Lightning reads such a loader a batch ahead)."""
    from converter.convert.rules.one_shot_loader import HELPER

    fit = next(line for line in output.splitlines() if ".fit(" in line)
    fed = fit[fit.index("train_dataloaders=") + len("train_dataloaders="):].removesuffix(")").split(", val_dataloaders=")[0]
    first_class = output.index("\nclass ")
    unsized = fit.replace(f"train_dataloaders={fed}", f"train_dataloaders=EveryEpoch(lambda: {made})")
    return output[:first_class] + f"\n{HELPER}\n" + output[first_class:].replace(fit, unsized)


CACHE = "T2L_VERIFY_CACHE"


def _cache_entry(key: tuple[str, ...]) -> Path | None:
    directory = os.environ.get(CACHE)
    if not directory:
        return None
    digest = hashlib.sha256()
    for part in key:
        digest.update(part.encode() + b"\1")
    return Path(directory) / f"{digest.hexdigest()}.pickle"


def verify_key(original: Path, converted: str, args: list[str], steps: int, torchrun: int = 0) -> tuple[str, ...]:
    """What a `--verify` result depends on: both scripts' texts, the script's arguments, the steps, the processes."""
    return ("verify", original.read_text(), converted, "\0".join(args), str(steps), str(torchrun))


def run_key(script: str, args: list[str]) -> tuple[str, ...]:
    """What an upgraded script's run on Lightning 2.x depends on: its text and its arguments."""
    return ("run", script, "\0".join(args))


def remember(result, key: tuple[str, ...]) -> None:
    """Leave a fixture test's result where the gallery will look for it (only with T2L_VERIFY_CACHE set)."""
    entry = _cache_entry(key)
    if entry is not None:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(result))
        partial.replace(entry)  # whole or not at all: two xdist workers may write the same entry


def recalled(key: tuple[str, ...]):
    """The result a test left for `key`, or None."""
    entry = _cache_entry(key)
    return pickle.loads(entry.read_bytes()) if entry is not None and entry.exists() else None


def discover(directory: Path = FIXTURES) -> list[Fixture]:
    found = []
    for path in sorted(directory.glob("*.in.py")):
        header = path.read_text().splitlines()[0]
        assert header.startswith("# t2l-fixture:"), f"{path}: first line must be a `# t2l-fixture:` header"
        words = shlex.split(header.split(":", 1)[1])
        args = tuple(words[words.index("--") + 1 :]) if "--" in words else ()
        options = words[: words.index("--")] if "--" in words else words
        steps = int(options[options.index("--steps") + 1]) if "--steps" in options else 0
        name = path.name.removesuffix(".in.py")
        found.append(Fixture(name, path, path.with_name(f"{name}.out.py"), options[0], steps, args, tuple(options)))
    return found


def printed_lines(scripts: dict[str, str], tmp_path: Path, prefix: str | tuple[str, ...] = "step ") -> dict[str, list[str]]:
    """The lines starting with `prefix` each script prints, the scripts run side by side, torch seeded alike
    (what a script prints after training, past the steps --verify runs). Each runs in a folder of its own: two
    Trainers starting together in one folder can both take lightning_logs/version_0 and remove each other's
    checkpoints (seen once in CI: FileNotFoundError in ModelCheckpoint)."""
    runs = {}
    for name, source in scripts.items():
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.py"
        path.write_text(source)
        seeded = f"import runpy, torch; torch.manual_seed(0); runpy.run_path({str(path)!r}, run_name='__main__')"
        runs[name] = subprocess.Popen([sys.executable, "-c", seeded], cwd=folder, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONHASHSEED="0", CUDA_VISIBLE_DEVICES=""))  # fmt: skip
    printed = {}
    for name, run in runs.items():
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        printed[name] = [line for line in out.splitlines() if line.startswith(prefix)]
    return printed
