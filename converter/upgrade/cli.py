"""`t2l upgrade`: the command-line front of the 1.x -> 2.x upgrader (registered by pairs/harness/cli.py)."""

from __future__ import annotations

import argparse
import difflib
import shutil
import sys
from pathlib import Path

from rich.console import Console

from converter import notebook
from converter.files import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    BadInput,
    exit_code,
    exit_help,
    find_inputs,
    process_file,
    write_atomically,
)
from converter.report import (
    BAD_INPUT,
    INTERNAL_ERROR,
    NOT_LIGHTNING,
    SKIPPED,
    UP_TO_DATE,
    Report,
    findings,
    print_rules,
    summary,
    write_json,
)
from converter.upgrade import upgrade_source, yaml_config

EXIT_HELP = exit_help("upgraded cleanly, or already 2.x (left unchanged)", "no Lightning code found") + """

rule codes (`t2l upgrade --rules` lists them all):
  T2L2xx  safe rewrites: the 2.x code does what the 1.x code did (gpus=2 -> accelerator="gpu", devices=2)
  T2L95x, T2L96x  applied but marked, or kept and marked: where a rewrite could change what the code does and t2l cannot
          show it does not (self.global_step under manual optimization, a namespace's removed flags dropped), or
          where 2.x has no replacement (the 1.5 loops API, Accuracy() with no class count); T2L960 is what the
          installed Lightning 2.x would reject, found by reading its own source after the rules ran"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "upgrade",
        help="modernise Lightning 1.x code to the 2.x API (gpus=, precision=16, training_epoch_end, ...)",
        description="Rewrite Lightning 1.x code for Lightning 2.x and explain each change with a rule code. "
        "By default prints a unified diff and changes nothing. Examples:\n"
        "  t2l upgrade train.py                 # the diff and the report\n"
        "  t2l upgrade train.py --write         # apply it; the original is kept as train.py.bak\n"
        "  t2l upgrade src/ --json report.json  # every file under a directory\n"
        "  t2l upgrade notebook.ipynb --write   # a notebook's code cells (magics kept)\n"
        "  t2l upgrade configs/ --write         # YAML configs too: a `trainer:` section, a Hydra Trainer config\n"
        "  t2l upgrade train.py --to lightning  # also switch `pytorch_lightning` imports to `lightning.pytorch`",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a file, or a directory of files")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--diff", action="store_true", help="print a unified diff (the default)")
    out.add_argument("--write", action="store_true", help="write the upgraded code in place, keeping FILE.bak")
    out.add_argument("--stdout", action="store_true", help="print the upgraded code (one input only)")
    p.add_argument("--force", action="store_true", help="with --write: overwrite an existing .bak backup")
    p.add_argument("--json", metavar="FILE", help="write the report as JSON to FILE ('-' for stdout)")
    p.add_argument("--to", choices=["pytorch_lightning", "lightning"],
                   help="import package to use everywhere (default: the one the file mostly imports)")  # fmt: skip
    p.add_argument("--rules", action="store_true", help="list the upgrade rules and exit")
    p.set_defaults(func=cmd_upgrade)


def upgrade_file(path: Path, to: str | None) -> tuple[str, str | None, Report]:
    def upgrade(source: str, name: str) -> tuple[str | None, Report]:
        return upgrade_source(source, name, to)

    if path.suffix in yaml_config.SUFFIXES:
        return process_file(path, yaml_config.upgrade_yaml)
    return process_file(path, notebook.transform(upgrade) if path.suffix == ".ipynb" else upgrade)


def cmd_upgrade(args: argparse.Namespace, console: Console) -> int:
    error = Console(stderr=True)
    if args.rules:
        return _list_rules(console)
    if not args.paths:
        error.print("[bold red]t2l upgrade: error:[/] give at least one PATH (or --rules)", highlight=False)
        return EXIT_USAGE
    try:
        files = find_inputs(args.paths, skip_converted=False, notebooks=True, configs=True)
    except BadInput as problem:
        error.print(f"[bold red]t2l upgrade: bad input:[/] {problem}", highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    single = len(files) == 1 and not args.paths[0].is_dir()
    if args.stdout and not single:
        error.print("[bold red]t2l upgrade: error:[/] --stdout needs exactly one input file", highlight=False)
        return EXIT_USAGE
    report_console = error  # stdout carries the diff (or the code), so `t2l upgrade x.py > x.patch` works
    reports = []
    for path in files:
        source, output, report = upgrade_file(path, args.to)
        reports.append(report)
        if output is None:
            continue
        if args.stdout:
            sys.stdout.write(output)
        elif args.write:
            backup = path.with_name(path.name + ".bak")
            if backup.exists() and not args.force:
                message = f"{backup} exists; use --force to overwrite it"
                if single:
                    error.print(f"[bold red]t2l upgrade: error:[/] {message}", highlight=False, soft_wrap=True)
                    return EXIT_USAGE
                report.status, report.error = SKIPPED, message  # the other files go on
                continue
            shutil.copy2(path, backup)
            write_atomically(path, output)
            report.output = str(path)
        else:
            old, new = (str(path), str(path)) if path.is_absolute() else (f"a/{path}", f"b/{path}")
            sys.stdout.writelines(difflib.unified_diff(source.splitlines(True), output.splitlines(True), old, new))
    if single:
        report = reports[0]
        if report.status == BAD_INPUT:
            error.print(f"[bold red]t2l upgrade: bad input:[/] {report.error}", highlight=False, soft_wrap=True)
        elif report.status == INTERNAL_ERROR:
            error.print(f"[bold red]t2l upgrade: {report.path}:[/] {report.error}", highlight=False, soft_wrap=True)
        else:
            if report.findings:
                report_console.print(findings(report, report_console.width), soft_wrap=True)
            report_console.print(_status_line(report, args.write), highlight=False, soft_wrap=True)
    else:
        report_console.print(summary(reports, report_console.width, "t2l upgrade"), soft_wrap=True)
    if args.json:
        text = write_json(reports, None if args.json == "-" else Path(args.json))
        if args.json == "-":
            print(text)
    return exit_code(reports)


def _status_line(report: Report, written: bool) -> str:
    if report.status == UP_TO_DATE:
        return f"{report.path}: already 2.x; left unchanged"
    if report.status == NOT_LIGHTNING:
        return f"{report.path}: no Lightning imports; nothing to upgrade"
    todos = len(report.todos)
    where = f" (written; original in {report.path}.bak)" if written else " (diff above; --write applies it)"
    return f"{report.path}: {report.status}{where}" + (f", {todos} TODO(t2l) to resolve" if todos else "")


def _list_rules(console: Console) -> int:
    from converter.rules import UPGRADE_TODO, UPGRADED

    print_rules(console, "t2l upgrade rules (Lightning 1.x -> 2.x); TODOs in yellow", UPGRADED, UPGRADE_TODO)
    return EXIT_OK
