"""Jupyter notebooks: `t2l convert nb.ipynb` (and `t2l upgrade nb.ipynb`) converts the code cells as one script and writes them back as cells.

The code cells, in order, make the script the converter reads (what a notebook runs top to bottom). IPython's
line magics and shell lines (`%matplotlib inline`, `!pip install ...`) stand in the script as `pass` lines and
are put back untouched; a cell that starts with a cell magic (`%%bash`, `%%time`) is not Python and is left as
it is. Each line of the converted script goes back to the cell of the input line it came from (a rewritten line joins
the cell of the lines it replaces, such as the LightningModule class the training loop's cell; a line only added,
such as an import, the cell of the line above it), so markdown cells keep their places.
Findings name `cell N, line M` (N counts every cell from 1, as Jupyter shows them). Read and written with
nbformat; a file that is not an nbformat-4 notebook is bad input.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from converter.convert.site import BUILT_FROM
from converter.files import BadInput, Transform
from converter.report import Report, line_map

MAGIC = re.compile(r"^(?P<indent>\s*)(?:[%!?]|[\w.]+\?{1,2}\s*$)")  # %line magic, !shell, ?name and name? help
# the LightningModule's docstring names the loop's line: in a notebook, its cell and line
BUILT_FROM_LINE = re.compile(re.escape(BUILT_FROM).replace(re.escape("{line}"), r"(?P<line>\d+)"))
PLACEHOLDER = re.compile(r"^(?P<indent>\s*)pass  # t2l-magic (?P<index>\d+)$")


@dataclass
class Script:
    text: str
    places: list[tuple[int, int]] = field(default_factory=list)  # script line - 1 -> (cell number, line in cell)
    magics: list[str] = field(default_factory=list)  # the lines the `pass  # t2l-magic N` placeholders stand for

    def where(self, line: int) -> str:
        if 0 < line <= len(self.places):
            cell, in_cell = self.places[line - 1]
            return f"cell {cell}, line {in_cell}"
        return str(line)


def read(text: str, path: str):
    """The notebook, or BadInput in one line."""
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    except Exception as error:  # noqa: BLE001 - nbformat raises JSON, schema and version errors of its own kinds
        raise BadInput(f"{path}: not a Jupyter notebook: {str(error).splitlines()[0][:200]}") from None
    if notebook.get("nbformat") != 4:
        raise BadInput(f"{path}: nbformat {notebook.get('nbformat')} notebook; only nbformat 4 is read "
                       "(`jupyter nbconvert --to notebook` upgrades it)")  # fmt: skip
    return notebook


def _is_python(cell) -> bool:
    return cell.cell_type == "code" and not cell.source.lstrip().startswith("%%")


def script_of(notebook) -> Script:
    """The code cells as one script, magics replaced by placeholders."""
    script = Script("")
    lines: list[str] = []
    for number, cell in enumerate(notebook.cells, start=1):
        if not _is_python(cell):
            continue
        for in_cell, line in enumerate(cell.source.splitlines(), start=1):
            if match := MAGIC.match(line):
                script.magics.append(line)
                line = f"{match['indent']}pass  # t2l-magic {len(script.magics) - 1}"
            lines.append(line)
            script.places.append((number, in_cell))
    script.text = "\n".join(lines) + "\n" if lines else ""
    return script


def write_back(notebook, script: Script, output: str) -> str:
    """The notebook with its code cells replaced by the converted script's lines (outputs of changed cells
    cleared: they came from the old code)."""
    import nbformat

    after = output.splitlines()
    # a rewritten line joins the cell of the lines it replaced; a line only added (an import, a mark), the cell of
    # the line above it
    origin = line_map(script.text.splitlines(), after, added_joins_above=True)
    cells: dict[int, list[str]] = {number: [] for number, _ in script.places}
    owner = min(cells) if cells else 0
    for number, line in enumerate(after, start=1):
        if (source := origin(number)) > 0:
            owner = max(owner, script.places[source - 1][0])  # cells stay in order
        if match := PLACEHOLDER.match(line):
            line = script.magics[int(match["index"])]
        cells[owner].append(line)
    converted = copy.deepcopy(notebook)
    for number, cell in enumerate(converted.cells, start=1):
        if number in cells:
            source = "\n".join(cells[number]).strip("\n")  # the blank lines PEP 8 puts around a class
            if source != cell.source:
                cell.source, cell.outputs, cell.execution_count = source, [], None
    return nbformat.writes(converted)


def script_text(text: str, path: str) -> str:
    """What the notebook runs, as a script (magics as `pass`): for --verify."""
    return script_of(read(text, path)).text


def transform(inner: Transform) -> Transform:
    """`inner` (a script transform: convert to Lightning or to Fabric) applied to a notebook's code cells."""

    def on_notebook(text: str, path: str) -> tuple[str | None, Report]:
        notebook = read(text, path)
        script = script_of(notebook)
        try:
            compile(script.text, path, "exec", dont_inherit=True)
        except SyntaxError as error:  # named by its cell, not by a line of a script the user never saw
            line = error.lineno or 1
            shown = script.text.splitlines()[line - 1].strip() if line <= len(script.places) else ""
            raise BadInput(f"{path}: {script.where(line)}: syntax error: {error.msg}\n    {shown}") from None
        output, report = inner(script.text, path)
        report.where = script.where
        if output is None:
            return None, report
        output = BUILT_FROM_LINE.sub(lambda m: m[0].replace(f"line {m['line']}", script.where(int(m["line"]))), output)
        return write_back(notebook, script, output), report

    return on_notebook
