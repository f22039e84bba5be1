"""`t2l`: the command line of torch2lightning.

Exit codes: 0 success; 1 a check found a difference; 2 bad usage (unknown pair, bad option, unwritable
output path); 3 data unavailable (a download failed or was corrupt).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pairs.harness import registry

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit code 2."""


def _writable_file(path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{path} is a directory, expected a file path")
    if not parent.is_dir():
        raise UsageError(f"cannot write {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"cannot write {path}: directory {parent} is not writable")
    return path


def _writable_dir(path: Path) -> Path:
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK):
        raise UsageError(f"cannot write under {path}: {probe} is not a writable directory")
    return path


def _keep_dir(path: Path, force: bool) -> Path:
    """The directory a lesson runs in and leaves its files in, made absolute once (the lesson runs from inside
    it). One that already holds files is refused without --force; with it, the files stay and the lesson may
    write over those with its own names. Nothing is ever deleted."""
    _writable_dir(path)
    path = path.resolve()
    if path.exists() and not path.is_dir():
        raise UsageError(f"--keep {path}: not a directory")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise UsageError(f"--keep {path}: the directory is not empty; choose a new one, or add --force to run there "
                         "(nothing is deleted; files the lesson writes under the same names are replaced)")
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- commands ----------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace, console: Console) -> int:
    table = Table(box=None, show_header=False)
    for pair in registry.PAIRS.values():
        table.add_row(f"[bold]{pair.name}", pair.summary)
    console.print(table)
    return EXIT_OK


def _sides(text: str) -> tuple[str, ...]:
    """`--sides plain,fabric`: known side names, each once, in the order given."""
    sides = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [side for side in sides if side not in registry.SIDES]
    if unknown or not sides or len(set(sides)) != len(sides):
        raise argparse.ArgumentTypeError(f"expected side names from {', '.join(registry.SIDES)}, separated by commas, "
                                         f"each once; got {text!r}")  # fmt: skip
    return sides


def cmd_show(args: argparse.Namespace, console: Console) -> int:
    from pairs.harness.show import render

    pair = registry.get(args.pair)
    sides = ("plain",) if args.plain else ("lightning",) if args.lightning else args.sides
    render({side: pair.source(side) for side in sides}, console)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from pairs.harness import check
    from pairs.harness.run import config_for

    if args.all == bool(args.pairs):
        raise UsageError("name one or more pairs, or use --all")
    chosen = list(registry.PAIRS.values()) if args.all else [registry.get(n) for n in args.pairs]
    for path in (args.json, args.plot):
        if path:
            _writable_file(path)
    for path in (args.logdir, args.root_dir):
        if path:
            _writable_dir(path)
    overrides = dict(
        epochs=args.epochs,
        max_steps=args.max_steps,
        seed=args.seed,
        data=args.data,
        threads=args.threads,
        batch_size=args.batch_size,
        root_dir=args.root_dir,
        devices=args.devices,
        accelerator=args.accelerator,
        precision=args.precision,
    )
    if args.accelerator == "gpu":
        import torch

        if not torch.cuda.is_available():
            raise UsageError("--accelerator gpu: no CUDA GPU is visible on this machine")
    jobs = [(pair, config_for(pair, **overrides)) for pair in chosen]
    if args.resume_test:
        return _resume_tests(jobs, args, console)
    if len(args.sides) < 2:
        raise UsageError("--sides: name two sides or more to compare (the first is the reference)")
    outcomes = check.run_with_progress(jobs, console, repeat=args.repeat, concurrent=not args.one_at_a_time,
                                       sides=args.sides)  # fmt: skip
    if len(outcomes) == 1:
        console.print(check.detail_table(outcomes[0]))
    console.print(check.summary_table(outcomes))
    if args.json:
        check.write_json(outcomes, args.json)
        console.print(f"wrote {args.json}")
    if args.plot:
        check.write_plot(outcomes, args.plot)
        console.print(f"wrote {args.plot}")
    if args.logdir:
        check.write_tensorboard(outcomes, args.logdir)
        console.print(f"wrote TensorBoard runs under {args.logdir}: tensorboard --logdir {args.logdir}")
    return EXIT_OK if all(o.bitwise_equal for o in outcomes) else EXIT_DIFFERENT


def _resume_tests(jobs, args: argparse.Namespace, console: Console) -> int:
    from pairs.harness import check
    from pairs.harness.resume import resume_test

    if args.devices and args.devices > 1:
        raise UsageError("--resume-test runs one process per side; drop --devices")
    outcomes = []
    for pair, config in jobs:
        if config.epochs < 2:
            raise UsageError("--resume-test needs --epochs 2 or more: a checkpoint must exist before the crash")
        for side in args.sides:
            with console.status(f"{pair.name} {side}: uninterrupted run, crash with SIGKILL, resume..."):
                outcomes.append(resume_test(pair, side, config))
    console.print(check.resume_table(outcomes))
    if args.json:
        check.write_resume_json(outcomes, args.json)
        console.print(f"wrote {args.json}")
    return EXIT_OK if all(o.bitwise_equal for o in outcomes) else EXIT_DIFFERENT


def cmd_tutorials(args: argparse.Namespace, console: Console) -> int:
    from pairs.harness import tutorials

    try:
        found = tutorials.lessons()
    except FileNotFoundError as problem:
        raise UsageError(str(problem)) from None
    if args.action == "list":
        table = Table(box=None, show_header=False)
        for path in found:
            title = next((line[2:] for line in path.read_text().splitlines() if line.startswith("# ")), path.stem)
            table.add_row(f"[bold]{path.stem}", title)
        console.print(table)
        return EXIT_OK
    if args.action == "export":
        if args.execute:
            with console.status("running the lessons to record their outputs..."):
                written = tutorials.export(args.out, execute=True, fast=not args.full)
        else:
            written = tutorials.export(args.out)
        console.print(f"wrote {len(written)} notebooks under {args.out}: jupyter lab {args.out}")
        return EXIT_OK
    chosen = [p for p in found if p.stem.split("-")[0] == f"{args.lesson:02d}"] if args.lesson else found
    if not chosen:
        raise UsageError(f"no lesson {args.lesson}; see `t2l tutorials list`")
    if args.keep:
        if len(chosen) > 1:
            raise UsageError("--keep needs one lesson: t2l tutorials run N --keep DIR")
        args.keep = _keep_dir(args.keep, args.force)
    import time

    seconds = {}
    for path in chosen:
        with console.status(f"running {path.name}..."):
            start = time.perf_counter()
            try:
                result = tutorials.run(path, fast=not args.full, cwd=args.keep)
            except tutorials.LessonFailed as failure:
                console.print(f"[bold red]{failure}", highlight=False, soft_wrap=True)
                return EXIT_DIFFERENT
            seconds[path.name] = time.perf_counter() - start
        if args.lesson:  # one lesson: each block's output under the line it comes from
            found_blocks = tutorials.blocks(path)
            for block, output in zip(found_blocks, tutorials.outputs(result.stdout, len(found_blocks))):
                if output.text or output.pictures:
                    console.rule(f"[dim]{path.name}:{block.line}", align="left", style="dim")
                    console.print(output.text, highlight=False, markup=False, end="", soft_wrap=True)
                    for picture in output.pictures:
                        where = picture if args.keep else f"{picture.name} (add --keep DIR to keep it)"
                        console.print(f"[cyan]picture:[/] {where}", highlight=False, soft_wrap=True)
        console.print(f"[green]ok[/] {path.name} ({seconds[path.name]:.1f} s)")
    if args.keep:
        console.print(f"kept everything the lesson wrote under {args.keep}", highlight=False, soft_wrap=True)
    if len(chosen) > 1:
        console.print(f"all {len(chosen)} lessons ran in {sum(seconds.values()):.0f} s", highlight=False)
    return EXIT_OK


def cmd_translate(args: argparse.Namespace, console: Console) -> int:
    if args.ckpt:
        if not args.ckpt.is_file():
            raise UsageError(f"checkpoint {args.ckpt} does not exist")
        checkpoint = args.ckpt
    else:
        found = sorted((args.root_dir / "seq2seq" / "lightning").rglob("*.ckpt"), key=lambda p: p.stat().st_mtime)
        if not found:
            raise UsageError(
                f"no trained seq2seq checkpoint under {args.root_dir}/seq2seq/lightning: "
                "run `t2l check seq2seq` first, or pass --ckpt PATH"
            )
        checkpoint = found[-1]
    from pairs.harness.run import quiet_lightning
    from pairs.seq2seq.lightning import Translator
    from pairs.seq2seq.model import translate

    quiet_lightning()
    module = Translator.load_from_checkpoint(checkpoint, map_location="cpu")
    for sentence in args.sentences:
        console.print(
            f"[dim]{sentence}[/] -> [bold]{translate(module.model, sentence, module.hparams.data)}", highlight=False
        )
    console.print(f"[dim](model: {checkpoint})", highlight=False, soft_wrap=True)
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------------
def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="t2l",
        description="torch2lightning: read, check and convert plain PyTorch <-> PyTorch Lightning code.",
        epilog="Exit codes: 0 ok, 1 a check found a difference, 2 bad usage, 3 data unavailable.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the pairs, one line each", description="List the pairs.")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "show",
        help="show a pair's sides side by side",
        description="Show two sides of a pair side by side, section by section (Model, Data, Optimizer, "
        "Training step, Validation, Fit loop): plain PyTorch and Lightning by default, or any of plain, fabric, "
        "lightning with --sides. Stacks them in a narrow terminal. Examples:\n"
        "  t2l show mnist_mlp                          # plain.py | lightning.py\n"
        "  t2l show gan --sides plain,fabric           # keep your loop: what Fabric changes\n"
        "  t2l show seq2seq --sides fabric,lightning   # from Fabric on to the Trainer",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("pair", help="a pair name (see `t2l list`)")
    one = p.add_mutually_exclusive_group()
    one.add_argument("--sides", type=_sides, default=("plain", "lightning"), metavar="SIDE,SIDE",
                     help="which files, left to right: plain, fabric, lightning (default plain,lightning)")
    one.add_argument("--plain", action="store_true", help="show only the plain PyTorch side")
    one.add_argument("--lightning", action="store_true", help="show only the Lightning side")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "check",
        help="train the sides and prove they compute the same losses",
        description="Train the sides of a pair (plain PyTorch, Lightning Fabric, LightningModule + Trainer) on CPU "
        "under identical seeds and thread counts, then compare every training-step loss, gradient norm, "
        "validation-batch output and final weight of each side with plain.py's, bitwise. "
        "Exits 0 only if everything is identical. Examples:\n"
        "  t2l check mnist_mlp                          # three sides, one process each, CPU\n"
        "  t2l check gan --sides plain,fabric           # two sides only (the first is the reference)\n"
        "  t2l check mnist_mlp --devices 2              # DDP: 2 processes per side (torchrun, gloo), per rank\n"
        "  t2l check gan --precision bf16-mixed         # torch.autocast vs Trainer(precision=...)\n"
        "  t2l check seq2seq --resume-test              # SIGKILL mid-epoch, resume, compare with an uninterrupted run\n"
        "  t2l check --all --accelerator gpu            # on a GPU, deterministic algorithms on",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("pairs", nargs="*", metavar="PAIR", help="pair names (see `t2l list`)")
    p.add_argument("--all", action="store_true", help="check every pair and print one summary table")
    p.add_argument("--epochs", type=_positive, help="training epochs (default: the pair's, 3 for mnist_mlp)")
    p.add_argument("--max-steps", type=_positive, help="stop after this many training steps")
    p.add_argument(
        "--data", choices=["embedded", "full"], help="embedded sample (default, offline) or full data set (downloads)"
    )
    p.add_argument("--seed", type=int, help="seed for every side (default 42)")
    p.add_argument("--threads", type=_positive, help="torch threads, the same on every side (default 1)")
    p.add_argument("--batch-size", type=_positive, help="batch size (default: the pair's)")
    p.add_argument("--repeat", type=_positive, default=1, help="run each pair N times; report median wall times")
    p.add_argument("--one-at-a-time", action="store_true",
                   help="run the sides one after the other in this process (default: all at once, one process "
                        "each, one thread each; slower, but each side's time is then measured alone)")  # fmt: skip
    p.add_argument("--root-dir", type=Path, help="where Lightning logs and checkpoints go (default ./runs)")
    p.add_argument("--json", type=Path, metavar="FILE", help="write the machine-readable result here")
    p.add_argument("--plot", type=Path, metavar="FILE.png", help="write the sides' loss curves overlaid")
    p.add_argument("--logdir", type=Path, metavar="DIR", help="write each side as a TensorBoard run under DIR")
    p.add_argument("--devices", type=_positive, help="processes per side; 2+ runs DDP under torchrun (default 1)")
    p.add_argument("--accelerator", choices=["cpu", "gpu"], help="cpu (default) or gpu (deterministic algorithms)")
    p.add_argument("--precision", choices=["32-true", "bf16-mixed"], help="32-true (default) or bf16-mixed")
    p.add_argument("--sides", type=_sides, default=registry.SIDES, metavar="SIDE,SIDE",
                   help="which sides to train, the first the reference: plain, fabric, lightning (default all three)")
    p.add_argument("--resume-test", action="store_true",
                   help="kill each side with SIGKILL mid-epoch, resume from its checkpoint, compare bitwise")  # fmt: skip
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "translate",
        help="translate English to French with the trained seq2seq pair",
        description="Translate English sentences with greedy decoding, loading the newest checkpoint that "
        "`t2l check seq2seq` left under --root-dir (or --ckpt). Unknown words become <unk>.",
    )
    p.add_argument("sentences", nargs="+", metavar="SENTENCE", help='e.g. "i am cold ."')
    p.add_argument("--ckpt", type=Path, help="a Lightning checkpoint of the seq2seq pair")
    p.add_argument(
        "--root-dir", type=Path, default=Path("runs"), help="where `t2l check` wrote its runs (default ./runs)"
    )
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser(
        "tutorials",
        help="list, run or export the runnable lessons (tutorials/*.md)",
        description="The lessons are Markdown files whose python and bash blocks run in order; their claims are "
        "asserts. `run` executes one (or all) as the test suite does; `export` writes Jupyter notebooks.",
    )
    p.add_argument("action", choices=["list", "run", "export"])
    p.add_argument("lesson", nargs="?", type=int, help="with run: the lesson number (default: all)")
    p.add_argument("--out", type=Path, default=Path("notebooks"), help="with export: output directory")
    p.add_argument("--full", action="store_true", help="with run or export --execute: the real epochs, not CI-sized")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="with run N: run in DIR and keep what the lesson wrote (plots, logs, checkpoints)")
    p.add_argument("--force", action="store_true",
                   help="with --keep: run in DIR even if it already holds files (none is deleted)")
    p.add_argument("--execute", action="store_true",
                   help="with export: run each lesson first; the notebooks carry every cell's output and pictures")
    p.set_defaults(func=cmd_tutorials)

    from converter.cli import add_parser as add_convert
    from converter.upgrade.cli import add_parser as add_upgrade
    from pairs.site.cli import add_parser as add_site

    add_convert(sub)
    add_upgrade(sub)
    add_site(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pairs.data.download import DownloadError

    argv = sys.argv[1:] if argv is None else list(argv)
    script_args: list[str] = []
    if argv[:1] == ["convert"] and "--" in argv:  # `t2l convert x.py --verify -- --epochs 1`
        split = argv.index("--")
        argv, script_args = argv[:split], argv[split + 1 :]
    args = build_parser().parse_args(argv)
    if script_args:
        args.script_args = script_args
    console = Console()
    error = Console(stderr=True)
    try:
        return args.func(args, console)
    except (UsageError, registry.UnknownPair) as problem:
        error.print(f"[bold red]t2l {args.command}: error:[/] {problem}", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    except DownloadError as problem:
        error.print(f"[bold red]t2l {args.command}: data unavailable:[/] {problem}", highlight=False, soft_wrap=True)
        return EXIT_DATA
    except KeyboardInterrupt:
        error.print("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
