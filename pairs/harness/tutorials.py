"""The lessons in tutorials/: Markdown read on GitHub, run as programs by the tests, exported as notebooks.

A lesson is a Markdown file whose ```python and ```bash blocks are the program, in order: python blocks share
one namespace (like notebook cells), bash blocks run as shell commands (`t2l ...`). Claims are `assert`s in
the blocks, so running a lesson checks what it says. `T2L_TUTORIAL_FAST=1` (set by the tests) lets a lesson
shrink epochs and batches; the prose and the defaults show the real settings.

    t2l tutorials list                 the lessons
    t2l tutorials run 3                run lesson 3 as the test suite does (FAST unless --full)
    t2l tutorials run 3 --keep lesson3/ keep what it wrote (plots, logs, checkpoints) in lesson3/
    t2l tutorials export --out nb/     one .ipynb per lesson (bash blocks become %%bash cells)
    t2l tutorials export --execute     the same, run first: every cell carries its output and pictures
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TUTORIALS = Path(__file__).resolve().parents[2] / "tutorials"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
RUNNABLE = {"python", "bash"}


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    line: int  # line of the opening fence in the Markdown file


def lessons(directory: Path | None = None) -> list[Path]:
    """The numbered lessons, in order (`01-...md` ...), then the errata page."""
    directory = directory or TUTORIALS
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


MARK = "\x1et2l-"  # a line the program prints between blocks: where one block's output ends
PREAMBLE = f"""import os as _t2l_os
import subprocess as _t2l_subprocess

_t2l_pictures = {{}}


def _t2l_mark(index):
    \"\"\"End of the previous block: name the pictures it wrote (new or changed PNGs), then start block `index`.\"\"\"
    for root, _, files in _t2l_os.walk("."):
        for name in sorted(files):
            path = _t2l_os.path.join(root, name)
            if name.endswith(".png") and _t2l_pictures.get(path) != _t2l_os.path.getmtime(path):
                _t2l_pictures[path] = _t2l_os.path.getmtime(path)
                print("{MARK}picture", _t2l_os.path.abspath(path), flush=True)
    print("{MARK}block", index, flush=True)
"""


def program(path: Path) -> str:
    """The lesson as one Python program: each block marked with its Markdown line, for readable failures, and
    preceded by a mark line, so that its output (text and pictures) can be told from the next block's."""
    parts = [PREAMBLE]
    found = blocks(path)
    for index, block in enumerate(found):
        if block.language not in RUNNABLE:
            raise ValueError(f"{path}:{block.line}: ```{block.language} block: lessons use only python and bash blocks")
        parts.append(f"# %% {path.name}:{block.line}\n_t2l_mark({index})\n")
        if block.language == "python":
            parts.append(block.code)
        else:
            parts.append(f"_t2l_subprocess.run({block.code!r}, shell=True, check=True, executable='/bin/bash')\n")
    parts.append(f"_t2l_mark({len(found)})\n")
    return "\n".join(parts)


@dataclass
class Output:
    text: str = ""
    pictures: list[Path] = field(default_factory=list)


def outputs(stdout: str, count: int) -> list[Output]:
    """A lesson run's stdout split per block: what each printed, and the PNG files each wrote."""
    found = [Output() for _ in range(count)]
    current = None
    for line in _lines(stdout):
        if line.startswith(MARK + "block "):
            index = int(line.split()[-1])
            current = found[index] if index < count else None
        elif line.startswith(MARK + "picture "):  # printed before the next block's mark: the current block's
            if current is not None:
                current.pictures.append(Path(line[len(MARK + "picture ") :].strip()))
        elif current is not None:
            current.text += line
    return found


def visible(stdout: str) -> str:
    """What the lesson printed, without the marks."""
    return "".join(line for line in _lines(stdout) if not line.startswith(MARK))


def _lines(text: str) -> list[str]:
    """Lines ending at "\\n" only (str.splitlines also splits at the \\x1e of MARK)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def run(path: Path, fast: bool = True, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run a lesson in a fresh interpreter (in a scratch directory unless `cwd`); raises on failure."""
    env = {**os.environ, "T2L_TUTORIAL_FAST": "1" if fast else "0", "MPLBACKEND": "Agg"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # `t2l` in bash blocks
    with tempfile.TemporaryDirectory(prefix="t2l-lesson-") as scratch:
        workdir = Path(cwd or scratch).resolve()  # the program is started from inside workdir: an absolute path
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


def _cell_outputs(output: Output) -> list[dict]:
    cells: list[dict] = []
    if output.text:
        cells.append({"output_type": "stream", "name": "stdout", "text": output.text.splitlines(True)})
    for picture in output.pictures:
        if picture.is_file():
            data = {"image/png": base64.b64encode(picture.read_bytes()).decode(), "text/plain": [picture.name]}
            cells.append({"output_type": "display_data", "data": data, "metadata": {}})
    return cells


def notebook(path: Path, ran: list[Output] | None = None) -> dict:
    """nbformat 4.5: Markdown cells for the prose, code cells for the blocks (bash as %%bash), every cell with an
    id; with `ran` (the lesson's outputs, per block), each code cell carries what it printed and drew."""
    text = path.read_text()
    cells: list[dict] = []
    position = 0

    def add(cell: dict) -> None:
        cells.append({"id": f"{path.stem[:40]}-{len(cells)}", **cell})

    def markdown(chunk: str) -> None:
        if chunk.strip():
            add({"cell_type": "markdown", "metadata": {}, "source": chunk.strip("\n").splitlines(True)})

    for index, match in enumerate(FENCE.finditer(text)):
        markdown(text[position : match.start()])
        language, code = match.group(1), match.group(2)
        source = code if language == "python" else "%%bash\n" + code
        executed = ran is not None and index < len(ran)
        add({"cell_type": "code", "execution_count": index + 1 if executed else None, "metadata": {},
             "outputs": _cell_outputs(ran[index]) if executed else [],
             "source": source.rstrip("\n").splitlines(True)})  # fmt: skip
        position = match.end()
    markdown(text[position:])
    kernel = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return {"cells": cells, "metadata": {"kernelspec": kernel, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}  # fmt: skip


def export(out: Path, directory: Path | None = None, execute: bool = False, fast: bool = True,
           chosen: list[Path] | None = None) -> list[Path]:  # fmt: skip
    """One .ipynb per lesson under `out`; with `execute`, each lesson runs first (in out/<lesson>/, kept) and
    its notebook carries the outputs and pictures of every block."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chosen or lessons(directory):
        ran = None
        if execute:
            workdir = out / path.stem
            workdir.mkdir(exist_ok=True)
            ran = outputs(run(path, fast=fast, cwd=workdir).stdout, len(blocks(path)))
        target = out / f"{path.stem}.ipynb"
        target.write_text(json.dumps(notebook(path, ran), indent=1) + "\n")
        written.append(target)
    return written
