"""What `t2l convert` and `t2l upgrade` share around the rewriting: reading input, one error type for bad input,
isolation of internal errors per file, atomic writes, and one exit-code table.

A directory run never stops at one file: a file that cannot be read is a BAD_INPUT report, a bug of ours in one
file is an INTERNAL_ERROR report (one line, with a hint to report it), and the summary always prints.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import libcst as cst

from converter import names
from converter.analysis import UnparsableOutput, children_remembered
from converter.report import BAD_INPUT, DECLINED, INTERNAL_ERROR, NOTHING_FOUND, SKIPPED, WITH_TODOS, Report

# Exit codes of `t2l convert` and `t2l upgrade` (0-3 are shared with the rest of `t2l`).
EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
EXIT_TODOS, EXIT_NOTHING, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_DECLINED = 4, 5, 6, 7, 8


class BadInput(Exception):
    """Input the tools cannot read: reported in one line."""


_converting = threading.local()  # .now: this thread is inside a conversion
_COLLECTOR = threading.Lock()
_collector_pauses = 0  # conversions running now, in all threads
_collector_was_on = False


def _pause_collector() -> None:
    """The first of the conversions running at once pauses the collector; it stays off if the caller had it off."""
    global _collector_pauses, _collector_was_on
    with _COLLECTOR:
        if _collector_pauses == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _collector_pauses += 1


def _resume_collector() -> None:
    global _collector_pauses
    with _COLLECTOR:
        _collector_pauses -= 1
        if _collector_pauses == 0 and _collector_was_on:
            gc.enable()


def one_file(function: Callable) -> Callable:
    """Run a one-file conversion without Python's cyclic garbage collector, and forget its caches after it.

    libcst trees are many small objects that live as long as the conversion, so the collector kept walking them
    (measured: a fifth of a conversion's time). They hold no reference cycles (the code keeps it so: no closure
    that calls itself, no object linked back to its owner), so they are freed as soon as the conversion is done."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if getattr(_converting, "now", False):  # a conversion inside a conversion: the outer one owns the caches
            return function(*args, **kwargs)
        _converting.now = True
        _pause_collector()
        try:
            with children_remembered():
                return function(*args, **kwargs)
        except UnparsableOutput:
            source = args[0] if args else kwargs.get("source")
            path = args[1] if len(args) > 1 else kwargs.get("path", "<string>")
            if isinstance(source, str) and (message := newer_syntax(source, path)) is not None:
                raise BadInput(message) from None
            raise
        finally:
            names.forget()
            _resume_collector()
            _converting.now = False

    return paused


def newer_syntax(source: str, path: str) -> str | None:
    """Why the running Python cannot compile an input libcst read (a 3.12 f-string reusing its quotes, on 3.11):
    the converted script could not run here either. None when it compiles."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        line = error.lineno or 1
        version = ".".join(map(str, sys.version_info[:2]))
        return (f"{path}:{line}:{error.offset or 1}: syntax error: {error.msg} (Python {version} cannot compile this "
                "file, though libcst reads it: run t2l on the Python the script is written for)")  # fmt: skip
    return None


def parse(source: str, path: str) -> cst.Module:
    """libcst's parse; a syntax error is reported as Python reports it (`syntax_error`)."""
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise BadInput(syntax_error(source, path, error)) from None


def syntax_error(source: str, path: str, libcst_error: cst.ParserSyntaxError) -> str:
    """`file:line:col: syntax error: message`, then the source line and a caret under the column.

    The message and position are those of Python's own `compile()` (`'(' was never closed`, at the bracket;
    1-based columns, as Python and ruff count them), since that is what a person fixes; libcst's own text (a list
    of expected tokens) is used only for a file Python accepts and libcst does not."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        line, column, message = error.lineno or 1, error.offset or 1, error.msg
    except ValueError as error:  # a null byte, which read_source already refuses
        return f"{path}: syntax error: {error}"
    else:
        line, column = libcst_error.raw_line, libcst_error.raw_column + 1
        message = f"libcst cannot read this file, though Python can: {libcst_error.message}"
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    shown = text.expandtabs()
    caret = len(text[: column - 1].expandtabs())  # under the same character when the line holds tabs
    return f"{path}:{line}:{column}: syntax error: {message}\n    {shown}\n    {' ' * caret}^"


def find_inputs(paths: list[Path], skip_converted: bool = True, notebooks: bool = False,
                configs: bool = False) -> list[Path]:  # fmt: skip
    """The Python files (with `notebooks`, the Jupyter notebooks; with `configs`, the YAML files that name a
    trainer) named or found under directories, without our own `*_lightning.py` outputs and Jupyter's checkpoint
    copies."""
    suffixes = (".py", ".ipynb") if notebooks else (".py",)
    yaml = (".yaml", ".yml") if configs else ()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (*suffixes, *yaml) and p.is_file()
                           and ".ipynb_checkpoints" not in p.parts
                           and not (skip_converted and p.stem.endswith("_lightning"))
                           and (p.suffix not in yaml or _names_a_trainer(p)))  # fmt: skip
            if not found:
                raise BadInput(f"{path}: directory has no Python files" + (" or notebooks" if notebooks else ""))
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise BadInput(f"{path}: no such file")
    return files


def _names_a_trainer(path: Path) -> bool:
    """A YAML file worth reading for `t2l upgrade`: it mentions a trainer, or sits in a Hydra `trainer/` config
    group (most YAML in a repository is CI)."""
    try:
        return path.parent.name == "trainer" or "trainer" in path.read_text(errors="replace").lower()
    except OSError:
        return False


def read_source(path: Path) -> str:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise BadInput(f"{path}: binary file, not Python source")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(f"{path}: not UTF-8 text (byte {error.start})") from None


Transform = Callable[[str, str], "tuple[str | None, Report]"]


def process_file(path: Path, transform: Transform) -> tuple[str, str | None, Report]:
    """Read one file and run `transform(source, path)` on it. Unreadable input becomes a BAD_INPUT report; an
    exception of ours becomes an INTERNAL_ERROR report, so that one file never stops a directory run."""
    try:
        source = read_source(path)
    except (BadInput, OSError) as error:
        return "", None, Report(str(path), status=BAD_INPUT, error=str(error))
    try:
        output, report = transform(source, str(path))
    except BadInput as error:
        return source, None, Report(str(path), status=BAD_INPUT, error=str(error))
    except RecursionError:
        return source, None, Report(str(path), status=BAD_INPUT, error=f"{path}: nested too deeply to read")
    except Exception as error:  # noqa: BLE001 - a bug of ours in one file must not stop the others
        where = traceback.extract_tb(error.__traceback__)[-1]
        detail = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(": ")
        message = (f"internal error: {detail} (at {Path(where.filename).name}:{where.lineno}); "
                   "the file is left as it is; please report it, with the file, to the torch2lightning issue tracker")  # fmt: skip
        return source, None, Report(str(path), status=INTERNAL_ERROR, error=message)
    return source, output, report


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory and `os.replace`: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".t2l-tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def exit_code(reports: list[Report]) -> int:
    statuses = {r.status for r in reports}
    if INTERNAL_ERROR in statuses:
        return EXIT_INTERNAL
    if BAD_INPUT in statuses:
        return EXIT_BAD_INPUT
    if SKIPPED in statuses:
        return EXIT_USAGE
    if DECLINED in statuses:
        return EXIT_DECLINED
    if statuses & WITH_TODOS:
        return EXIT_TODOS
    if statuses <= NOTHING_FOUND:
        return EXIT_NOTHING
    return EXIT_OK


def exit_help(ok: str, nothing: str, declines: bool = False) -> str:
    """The exit-code table both commands print in --help (`t2l convert` also declines)."""
    declined = ("\n  8  declined: a training loop was found but not converted (it is kept, marked TODO(t2l) with "
                "the reason)") if declines else ""
    return f"""exit codes:
  0  {ok}
  1  --verify ran both scripts and found a difference (or could not run them)
  2  bad usage (an output or backup exists and --force was not given: that file is skipped, the rest go on)
  4  done, with TODO(t2l) marks to resolve by hand
  5  {nothing}
  6  bad input: missing file, directory without Python files, syntax error (file:line:col), not UTF-8, binary,
     a .ipynb that is not an nbformat-4 notebook, a .yaml that is not YAML
  7  internal error in at least one file (named, left unchanged; the other files were processed){declined}"""
