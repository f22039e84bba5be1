"""`t2l convert`: the command-line front of the converter (registered by pairs/harness/cli.py)."""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from converter import engines, notebook, project, rules
from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from converter.fabric.rules import DECLINES as FABRIC_DECLINES
from converter.fabric.rules import RULES as FABRIC_RULES
from converter.files import (  # noqa: F401 - the shared table, re-exported for the commands and tests
    EXIT_BAD_INPUT,
    EXIT_DECLINED,
    EXIT_DIFFERENT,
    EXIT_INTERNAL,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_TODOS,
    EXIT_USAGE,
    BadInput,
    exit_code,
    exit_help,
    find_inputs,
    process_file,
    read_source,
    write_atomically,
)
from converter.report import (
    ALREADY_LIGHTNING,
    BAD_INPUT,
    DECLINED,
    INTERNAL_ERROR,
    NO_LOOP,
    SKIPPED,
    Report,
    findings,
    print_rules,
    summary,
    write_json,
)

if TYPE_CHECKING:
    from converter.verify import Verification

EXIT_HELP = exit_help("converted cleanly (or already Lightning: left alone); with --verify, the losses are bitwise equal "
                      "and the original printed every line the converted script printed",
                      "no training loop found", declines=True)
EXIT_NO_LOOP = EXIT_NOTHING


class OutputExists(Exception):
    pass


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="rewrite a plain PyTorch training script into a LightningModule + Trainer, or onto Fabric",
        description="Convert plain PyTorch training scripts into LightningModule hooks (--to lightning, the "
        "default), or keep their loop and route it through Lightning Fabric (--to fabric: any loop, including "
        "those the LightningModule route declines). What it understands is mapped and listed with a T2L1xx "
        "(Fabric: T2L3xx) code; what it cannot map safely is kept and marked `# TODO(t2l): T2L9xx <reason>`. "
        "The input is never modified. Examples:\n"
        "  t2l convert train.py                 # writes train_lightning.py, prints the report\n"
        "  t2l convert train.py --to fabric     # writes train_fabric.py: the same loop, on Fabric\n"
        "  t2l convert train.py --diff          # show the change as a unified diff\n"
        "  t2l convert scripts/                 # every script under a directory, one summary table\n"
        "  t2l convert notebook.ipynb           # the code cells (magics kept): notebook_lightning.ipynb\n"
        "  t2l convert project/ --entry train.py  # train.py with the local modules holding its loop: train_lightning.py\n"
        "  t2l convert train.py --verify --steps 20 -- --epochs 1   # run both, compare losses bitwise, and printed lines",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="a script, a Jupyter notebook (.ipynb), or a directory of them")
    p.add_argument("--entry", type=Path, metavar="SCRIPT",
                   help="with one directory: the script that runs the training; the modules beside it that hold "
                   "its loop (`from engine import train_one_epoch`) are converted with it, into one script")
    p.add_argument("--to", choices=TARGETS, default="lightning",
                   help="lightning: a LightningModule + Trainer (default); fabric: the same loop on Lightning Fabric")
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", type=Path, help="where to write the converted script (one input only)")
    out.add_argument("--stdout", action="store_true", help="print the converted script instead of writing it")
    out.add_argument("--diff", action="store_true", help="print a unified diff instead of writing a file")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--json", metavar="FILE", help="write the report as JSON to FILE ('-' for stdout)")
    p.add_argument("--verify", action="store_true", help="run the original and the converted script; compare losses and printed lines")
    p.add_argument("--steps", type=int, default=20, help="optimizer steps to compare with --verify (default 20)")
    p.add_argument("--threads", type=int, default=1, help="torch threads for both runs with --verify (default 1)")
    p.add_argument("--seed", type=int, default=0,
                   help="--verify seeds random, numpy and torch with this in both processes (default 0)")
    p.add_argument("--torchrun", type=int, default=0, metavar="N",
                   help="--verify starts both scripts with torchrun, N processes (for scripts written for torchrun: "
                        "they read their rank from its environment); every process's losses are compared")
    p.add_argument("--rules", action="store_true", help="list the conversion rules and their codes, and exit")
    p.set_defaults(func=cmd_convert, script_args=[])


TARGETS = {"lightning": convert_source, "fabric": convert_to_fabric}  # --to: the transform of each target


def convert_file(path: Path, to: str = "lightning", entry: bool = False) -> tuple[str, str | None, Report]:
    if entry:  # the script and the local modules that hold its loop, as one
        return process_file(path, project.transform(TARGETS[to], path))
    if path.suffix == ".ipynb":
        return process_file(path, notebook.transform(TARGETS[to]))
    return process_file(path, TARGETS[to])


def default_output(path: Path, to: str = "lightning") -> Path:
    return path.with_name(f"{path.stem}_{to}{'.ipynb' if path.suffix == '.ipynb' else '.py'}")


def cmd_convert(args: argparse.Namespace, console: Console) -> int:
    error = Console(stderr=True)
    if args.rules:
        fabric_codes = {code for module in (*FABRIC_RULES, *FABRIC_DECLINES) for code in module.CODES}
        if args.to == "fabric":
            print_rules(console, "t2l convert --to fabric rules (PyTorch loop -> the same loop on Fabric); TODOs in "
                        "yellow", rules.FABRIC, {c: m for c, m in rules.TODO.items() if c in fabric_codes})
        else:
            print_rules(console, "t2l convert rules (PyTorch loop -> Lightning); TODOs in yellow", rules.MAPPED,
                        {c: m for c, m in rules.TODO.items() if c not in fabric_codes})  # fmt: skip
        return EXIT_OK
    if not args.paths:
        error.print("[bold red]t2l convert: error:[/] give at least one PATH (or --rules)", highlight=False)
        return EXIT_USAGE
    try:
        files = [_entry(args.paths, args.entry)] if args.entry else find_inputs(args.paths, notebooks=True)
    except BadInput as problem:
        error.print(f"[bold red]t2l convert: bad input:[/] {problem}", highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    single = len(files) == 1 and (bool(args.entry) or not args.paths[0].is_dir())
    if args.output and not single:
        error.print("[bold red]t2l convert: error:[/] -o needs exactly one input file", highlight=False)
        return EXIT_USAGE
    reports: list[Report] = []
    report_console = error if args.stdout or args.json == "-" else console
    for path in files:
        source, output, report = convert_file(path, args.to, entry=bool(args.entry))
        if not single:  # a directory: name files relative to it in the summary
            root = next((p for p in args.paths if p.is_dir() and path.is_relative_to(p)), None)
            report.path = str(path.relative_to(root)) if root else str(path)
        reports.append(report)
        if output is None:
            continue
        if args.stdout:
            sys.stdout.write(output)
        elif args.diff:
            target = default_output(path, args.to)
            diff = difflib.unified_diff(source.splitlines(True), output.splitlines(True), str(path), str(target))
            sys.stdout.writelines(diff)
        else:
            target = args.output or default_output(path, args.to)
            if target.exists() and not args.force:
                message = f"{target} exists; use --force to overwrite it, or -o PATH"
                if single:
                    error.print(f"[bold red]t2l convert: error:[/] {message}", highlight=False, soft_wrap=True)
                    return EXIT_USAGE
                report.status, report.error = SKIPPED, message  # the other files go on
                continue
            write_atomically(target, output)
            report.output = str(target)
    if single:
        report = reports[0]
        if report.status == BAD_INPUT:
            error.print(f"[bold red]t2l convert: bad input:[/] {report.error}", highlight=False, soft_wrap=True)
        elif report.status == INTERNAL_ERROR:
            error.print(f"[bold red]t2l convert: {report.path}:[/] {report.error}", highlight=False, soft_wrap=True)
        elif report.findings:
            report_console.print(findings(report, report_console.width), soft_wrap=True)
        if status := _status_line(report, args.to):
            report_console.print(status, highlight=False, soft_wrap=True)
    else:
        report_console.print(summary(reports, report_console.width), soft_wrap=True)
    if args.json:
        text = write_json(reports, None if args.json == "-" else Path(args.json))
        if args.json == "-":
            print(text)
    code = exit_code(reports)
    if args.verify:
        if single and reports[0].output is None and code in (EXIT_BAD_INPUT, EXIT_INTERNAL):
            return code  # said above, in one line
        if not single or reports[0].output is None:
            error.print("[bold red]t2l convert: error:[/] --verify needs one input converted to a file", highlight=False)
            return EXIT_USAGE
        return _verify(files[0], Path(reports[0].output), args, report_console) or code
    return code


def _entry(paths: list[Path], entry: Path) -> Path:
    """The entry script of `t2l convert DIR --entry SCRIPT` (BadInput: why not)."""
    if len(paths) != 1 or not paths[0].is_dir():
        raise BadInput("--entry needs exactly one PATH, the project's directory")
    script = paths[0] / entry
    if not script.is_file() or script.suffix != ".py":
        raise BadInput(f"{script}: no such Python script in {paths[0]}")
    return script


def _as_script(path: Path, directory: Path) -> Path:
    script = directory / f"{path.stem}.py"
    script.write_text(notebook.script_text(path.read_text(encoding="utf-8"), str(path)))
    return script


def _status_line(report: Report, target: str = "lightning") -> str:
    if report.status == ALREADY_LIGHTNING:
        return f"{report.path}: already a Lightning script; left alone"
    if report.status == NO_LOOP:
        return f"{report.path}: no training loop found (no .backward() inside a loop)"
    if report.status == BAD_INPUT:
        return ""
    if report.status == DECLINED:
        written = f"; the input with its TODO(t2l) mark -> {report.output}" if report.output else ""
        made = "no Fabric script" if target == "fabric" else "no LightningModule"
        line = f"{report.path}: declined, {made} made ({report.todos[0].message}){written}"
        if target == "fabric" or report.todos[0].code in engines.DECLINED_ON_BOTH_ROUTES:
            return line
        return f"{line}; `t2l convert {report.path} --to fabric` keeps the loop and converts it"
    todos = len(report.todos)
    where = f" -> {report.output}" if report.output else ""
    return f"{report.path}: {report.status}{where}" + (f" ({todos} TODO(t2l) to resolve)" if todos else "")


def _verify(original: Path, converted: Path, args: argparse.Namespace, console: Console) -> int:
    from converter.verify import verify

    console.print(f"verify: both runs seeded with {args.seed} (random, numpy.random, torch) before the script "
                  f"starts; each in its own view of {original.resolve().parent} (what it writes stays there)",
                  highlight=False, soft_wrap=True)  # fmt: skip
    with console.status(f"running {original} and {converted} for {args.steps} optimizer steps..."), \
            tempfile.TemporaryDirectory(prefix="t2l-notebook-") as scripts:
        if original.suffix == ".ipynb":  # what each notebook runs, top to bottom, as a script
            original, converted = (_as_script(path, Path(scripts)) for path in (original, converted))
        result = verify(original, converted, args.script_args, steps=args.steps, threads=args.threads, seed=args.seed,
                        cwd=args.paths[0].resolve() if args.entry else args.paths[0].resolve().parent,
                        torchrun=args.torchrun)  # fmt: skip
    if result.failed:
        console.print(f"[bold red]verify: could not compare:[/] {result.failed}", highlight=False, soft_wrap=True)
        return EXIT_DIFFERENT
    table = Table(title="t2l convert --verify: losses given to backward(), step by step", title_justify="left")
    for column in ("losses compared", "bitwise equal", "max |diff|", "first difference"):
        table.add_column(column, justify="right")
    equal = result.bitwise_equal
    table.add_row(
        f"{result.compared} (original {len(result.original.losses)}, converted {len(result.converted.losses)})",
        "[green]yes" if equal else "[red]no",
        f"{result.max_abs_diff:.3g}",
        "-" if result.first_difference is None else f"loss #{result.first_difference}",
    )
    console.print(table)
    if max(result.original.ranks, result.converted.ranks) > 1:
        console.print(f"processes that trained: original {result.original.ranks}, converted {result.converted.ranks} "
                      "(every rank's losses, in rank order)", highlight=False, soft_wrap=True)
    if result.initial_weights_equal is not None:
        same = "the same" if result.initial_weights_equal else "[red]different[/]"
        console.print(f"initial weights (SHA-256 before each optimizer's first step): {same}", soft_wrap=True)
    if result.diagnosis:
        console.print(f"[red]where it starts:[/] {result.diagnosis}", highlight=False, soft_wrap=True)
    _show_printed(result, console)
    return EXIT_OK if result.agrees else EXIT_DIFFERENT


def _show_printed(result: Verification, console: Console) -> None:
    """What the lines the scripts printed show: each line the converted script printed, the original printed too."""
    from converter._verify_printed import nearest

    compared = len(result.converted.printed_compared)
    if not result.printed_different:
        if compared:
            console.print(f"printed lines: the original printed each of the {compared} the converted script printed",
                          highlight=False, soft_wrap=True)  # fmt: skip
        return
    console.print(f"[red]printed lines:[/] {len(result.printed_different)} of the {compared} the converted script "
                  "printed the original never printed (the same losses, other values printed: a total, a count or "
                  "an evaluation computed otherwise):", highlight=False, soft_wrap=True)  # fmt: skip
    for line in result.printed_different[:5]:
        near = nearest(line, result.original.printed)
        console.print(f"  converted: {line!r}" + (f"\n  original:  {near!r}" if near else ""), highlight=False,
                      soft_wrap=True, markup=False)  # fmt: skip
