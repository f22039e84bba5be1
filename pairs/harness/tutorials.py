"""The lessons in tutorials/: Markdown read on GitHub, run as programs by the tests, exported as notebooks.

A lesson is a Markdown file whose ```python and ```bash blocks are the program, in order: python blocks share
one namespace (like notebook cells), bash blocks run as shell commands (`t2l ...`). Claims are `assert`s in
the blocks, so running a lesson checks what it says. `T2L_TUTORIAL_FAST=1` (set by the tests) lets a lesson
shrink epochs and batches; the prose and the defaults show the real settings.

    t2l tutorials list                 the lessons
    t2l tutorials run 3                run lesson 3 as the test suite does (FAST unless --full)
    t2l tutorials export --out nb/     one .ipynb per lesson (bash blocks become %%bash cells)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

TUTORIALS = Path(__file__).resolve().parents[2] / "tutorials"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
RUNNABLE = {"python", "bash"}


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    line: int  # line of the opening fence in the Markdown file


def lessons(directory: Path = TUTORIALS) -> list[Path]:
    """The numbered lessons, in order (`01-...md` ...), then the errata page."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no tutorials directory (they ship with the repository, not the wheel)")
    numbered = sorted(directory.glob("[0-9][0-9]-*.md"))
    return numbered + sorted(directory.glob("errata.md"))


def blocks(path: Path) -> list[Block]:
    text = path.read_text()
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(match.group(1) or "text", match.group(2), line))
    return found


def program(path: Path) -> str:
    """The lesson as one Python program: each block marked with its Markdown line, for readable failures."""
    parts = ["import subprocess as _t2l_subprocess\n"]
    for block in blocks(path):
        if block.language not in RUNNABLE:
            raise ValueError(f"{path}:{block.line}: ```{block.language} block: lessons use only python and bash blocks")
        parts.append(f"# %% {path.name}:{block.line}\n")
        if block.language == "python":
            parts.append(block.code)
        else:
            parts.append(f"_t2l_subprocess.run({block.code!r}, shell=True, check=True, executable='/bin/bash')\n")
    return "\n".join(parts)


def run(path: Path, fast: bool = True, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run a lesson in a fresh interpreter (in a scratch directory unless `cwd`); raises on failure."""
    env = {**os.environ, "T2L_TUTORIAL_FAST": "1" if fast else "0", "MPLBACKEND": "Agg"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # `t2l` in bash blocks
    with tempfile.TemporaryDirectory(prefix="t2l-lesson-") as scratch:
        workdir = cwd or Path(scratch)
        script = workdir / f"_{path.stem}.py"
        text = program(path)
        script.write_text(text)
        result = subprocess.run([sys.executable, str(script)], cwd=workdir, env=env, capture_output=True, text=True,
                                timeout=timeout)  # fmt: skip
    if result.returncode != 0:
        raise LessonFailed(path, result, text)
    return result


class LessonFailed(Exception):
    """A lesson that raised; the message names the Markdown block (file:line) the failing line is in."""

    def __init__(self, path: Path, result: subprocess.CompletedProcess, text: str) -> None:
        self.path, self.result = path, result
        lines = [int(n) for n in re.findall(rf'File "[^"]*_{re.escape(path.stem)}\.py", line (\d+)', result.stderr)]
        where = ""
        if lines:
            before = text.splitlines()[: lines[-1]]
            marker = next((line[5:] for line in reversed(before) if line.startswith("# %% ")), None)
            where = f" in the block at {marker}" if marker else ""
        super().__init__(f"{path.name} failed{where}:\n{result.stderr[-3000:]}")


def notebook(path: Path) -> dict:
    """nbformat 4: Markdown cells for the prose, code cells for the blocks (bash as %%bash)."""
    text = path.read_text()
    cells: list[dict] = []
    position = 0

    def markdown(chunk: str) -> None:
        if chunk.strip():
            cells.append({"cell_type": "markdown", "metadata": {}, "source": chunk.strip("\n").splitlines(True)})

    for match in FENCE.finditer(text):
        markdown(text[position : match.start()])
        language, code = match.group(1), match.group(2)
        source = code if language == "python" else "%%bash\n" + code
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": source.rstrip("\n").splitlines(True)})  # fmt: skip
        position = match.end()
    markdown(text[position:])
    kernel = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return {"cells": cells, "metadata": {"kernelspec": kernel, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}  # fmt: skip


def export(out: Path, directory: Path = TUTORIALS) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lessons(directory):
        target = out / f"{path.stem}.ipynb"
        target.write_text(json.dumps(notebook(path), indent=1) + "\n")
        written.append(target)
    return written
