"""Fixture discovery: every `fixtures/<name>.in.py` with its expected `<name>.out.py`.

The first line of an input says how its output is checked:
  # t2l-fixture: verify --steps N [-- ARGS]   run both scripts, the losses must be bitwise equal
  # t2l-fixture: verify --steps N --torchrun P [-- ARGS]   ... each started by torchrun with P processes
  # t2l-fixture: unchanged                    the converter must leave the code as it is (TODO marks only)
Regenerate the expected outputs after a deliberate change with `T2L_UPDATE_FIXTURES=1 pytest tests/converter`,
then read the diff.
"""

from __future__ import annotations

import shlex
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
