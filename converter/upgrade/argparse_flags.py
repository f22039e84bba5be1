"""Trainer.add_argparse_args / from_argparse_args (removed in 2.0) -> plain argparse (T2L223; TODO T2L956).

The parser gets the handful of Trainer flags most scripts pass on the command line (table.ARGPARSE_FLAGS),
and `Trainer.from_argparse_args(args, **kw)` becomes `Trainer(flag=args.flag, ..., **kw)`. For every flag
at once, LightningCLI is the 2.x tool; the report says so.
"""

from __future__ import annotations

import libcst as cst

from converter.names import code, dotted
from converter.syntax import with_args
from converter.upgrade import legacy, table
from converter.upgrade.engine import Upgrade, keyword
from converter.upgrade.imports import removed_api

CODES = {
    "T2L223": "Trainer.add_argparse_args / from_argparse_args -> plain argparse arguments",
    "T2L956": "Trainer.from_argparse_args / add_argparse_args use not recognised",
}

LATER = "for more Trainer flags, add them the same way or move to LightningCLI"


def upgrade_argparse(up: Upgrade) -> None:
    classes = {c.name.value: c for c in up.nodes(cst.ClassDef)}
    for call in up.nodes(cst.Call):
        if isinstance(call.func, cst.Attribute) and up.name_of(call.func.value) not in table.TRAINER:
            if call.func.attr.value == "from_argparse_args" and call.args and call.args[0].keyword is None:
                _other_from_argparse_args(up, call)
            elif call.func.attr.value == "add_argparse_args" and call.args:
                _other_add_argparse_args(up, call, classes.get(code(call.func.value)))
    added = up.trainer_class_calls("add_argparse_args")
    more: list[str] = []
    for call in added:
        more = _flags_read_later(up, call)
        _add_argparse_args(up, call, more)
    for call in up.trainer_class_calls("from_argparse_args"):
        _from_argparse_args(up, call, flags_added=bool(added), more=more)


def _flags_read_later(up: Upgrade, call: cst.Call) -> list[str]:
    """Trainer flags the script reads beyond the fixed set: from a parsed namespace (`args.gradient_clip_val`, where
    `args` comes from a `parse_args()` or is what `Trainer.from_argparse_args` reads) or gives a default
    (`parser.set_defaults(deterministic=True)`). The 2.x ones are added as arguments; the removed ones (`args.gpus`)
    are marked where they are read (imports.removed_api)."""
    parser = dotted(call.args[0].value) if len(call.args) == 1 else None
    if parser is None:
        return []
    namespaces = set()
    for assign in up.nodes(cst.Assign):
        value = assign.value
        if isinstance(value, cst.Subscript):  # parser.parse_known_args()[0]
            value = value.value
        if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                and value.func.attr.value in ("parse_args", "parse_known_args") and len(assign.targets) == 1):  # fmt: skip
            target = assign.targets[0].target
            if isinstance(target, cst.Name):
                namespaces.add(target.value)
    namespaces |= {c.args[0].value.value for c in up.trainer_class_calls("from_argparse_args")
                   if c.args and isinstance(c.args[0].value, cst.Name)}  # fmt: skip
    defaults = [(a, a.keyword.value) for c in up.nodes(cst.Call) if isinstance(c.func, cst.Attribute)
                and c.func.attr.value == "set_defaults" for a in c.args if a.keyword is not None]  # fmt: skip
    own = _own_arguments(up, parser) | {flag for flag, _, _ in table.ARGPARSE_FLAGS}
    reads = [(n, n.attr.value) for n in up.nodes(cst.Attribute)
             if isinstance(n.value, cst.Name) and n.value.value in namespaces]  # fmt: skip
    more: list[str] = []
    for node, flag in [*reads, *defaults]:
        if flag in own:
            continue
        if flag in table.MORE_ARGPARSE_FLAGS and flag not in more:
            more.append(flag)
        elif flag in legacy.TRAINER_FLAGS and flag not in table.MORE_ARGPARSE_FLAGS:
            removed_api(up, node, f"`{code(node)}`: --{flag} came from Trainer.add_argparse_args and was removed "
                    "in 2.0 (use --accelerator / --devices and the other 2.x flags)")  # fmt: skip
    return more


def _own_arguments(up: Upgrade, parser: str) -> set[str]:
    """The dest of every `parser.add_argument(...)` the script writes itself."""
    names = set()
    for call in up.nodes(cst.Call):
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_argument" and call.args:
            dest = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "dest"), None)
            first = dest or call.args[0].value
            if isinstance(first, cst.SimpleString):
                names.add(str(first.evaluated_value).lstrip("-").replace("-", "_"))
    return names


def _other_from_argparse_args(up: Upgrade, call: cst.Call) -> None:
    """`Data.from_argparse_args(args, **kw)` (a LightningDataModule's, a model's) -> the constructor, given the
    arguments its __init__ accepts, as 1.x did: `Data(**{k: v for k, v in vars(args).items() if k in ...}, **kw)`."""
    owner = code(call.func.value)  # type: ignore[attr-defined]
    namespace = code(call.args[0].value)
    inspect = up.require_module("inspect")
    given = sorted(a.keyword.value for a in call.args[1:] if a.keyword is not None)  # these win, as in 1.x
    unless = f" and k not in {{{', '.join(repr(g) for g in given)}}}" if given else ""
    selected = cst.parse_expression(
        f"{{k: v for k, v in vars({namespace}).items() if k in {inspect}.signature({owner}).parameters{unless}}}"
    )

    def change(updated: cst.Call) -> cst.Call:
        rest = list(updated.args[1:])
        return with_args(updated.with_changes(func=updated.func.value), [cst.Arg(selected, star="**"), *rest])  # type: ignore[attr-defined]

    up.edit(call, change)
    up.mapped("T2L223", call, f"{owner}.from_argparse_args({namespace}) -> {owner}(**the {namespace} its __init__ takes)")


def _other_add_argparse_args(up: Upgrade, call: cst.Call, cls: cst.ClassDef | None) -> None:
    """Only Trainer and LightningDataModule had `add_argparse_args`. A class's own (a model's
    `@staticmethod add_argparse_args(parent_parser)`, a 1.x convention) still works and is left alone; a DataModule
    (of this file, or named one) that relied on Lightning's loses it (the call goes, marked); any other is kept and
    marked."""
    owner = code(call.func.value)
    if cls is not None and any(isinstance(s, cst.FunctionDef) and s.name.value == "add_argparse_args"
                               for s in cls.body.body):  # fmt: skip
        return
    datamodule = any("DataModule" in code(b.value) for b in cls.bases) if cls is not None else "DataModule" in owner
    if datamodule:
        up.todo("T2L956", call, f"{code(call.func)} was removed in 2.0: add the arguments of {owner}.__init__ with "
                "parser.add_argument, or use LightningCLI")  # fmt: skip
        up.edit(up.statement(call), _argument_kept(call))
        return
    up.todo("T2L956", call, f"if {owner} defines add_argparse_args itself, this still works; if it relied on "
            "LightningDataModule's (removed in 2.0), add its arguments with parser.add_argument")  # fmt: skip


def _argument_kept(call: cst.Call):
    """`parser = X.add_argparse_args(parser)` -> `parser = parser`'s meaning without the call: the parser itself."""
    argument = call.args[0].value

    def change(statement):
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return statement
        small = statement.body[0]
        if isinstance(small, cst.Assign) and code(small.value) == code(call) and code(small.targets[0].target) == code(argument):
            return statement.with_changes(body=[cst.Pass()])  # the parser is unchanged: nothing left to do
        if isinstance(small, cst.Assign) and code(small.value) == code(call):
            return statement.with_changes(body=[small.with_changes(value=argument)])
        if isinstance(small, cst.Expr) and code(small.value) == code(call):
            return statement.with_changes(body=[cst.Pass()])
        return statement

    return change


def _add_argparse_args(up: Upgrade, call: cst.Call, more: list[str]) -> None:
    statement = up.statement(call)
    parser = code(call.args[0].value) if len(call.args) == 1 else None
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    target = None
    if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1:
        target = code(small.targets[0].target)
    elif not (isinstance(small, cst.Expr) and small.value is call):
        small = None
    if parser is None or small is None:
        up.todo("T2L956", call, f"Trainer.add_argparse_args was removed: add the Trainer flags yourself ({LATER})")
        return
    lines = [] if target in (None, parser) else [f"{target} = {parser}"]
    owner = target or parser
    flags = [*table.ARGPARSE_FLAGS, *((flag, *table.MORE_ARGPARSE_FLAGS[flag]) for flag in more)]
    for flag, kind, default in flags:
        typed = f", type={kind}" if kind else ""
        lines.append(f'{owner}.add_argument("--{flag}"{typed}, default={default})')
    new = [cst.parse_statement(line + "\n") for line in lines]
    new[0] = new[0].with_changes(leading_lines=[*statement.leading_lines, cst.EmptyLine(
        comment=cst.Comment("# t2l T2L223: the Trainer flags this script reads (Trainer.add_argparse_args is gone)"))])
    up.edit(statement, lambda _n: cst.FlattenSentinel(new))
    up.mapped("T2L223", call, f"Trainer.add_argparse_args -> {len(flags)} add_argument calls ({LATER})")


def _from_argparse_args(up: Upgrade, call: cst.Call, flags_added: bool, more: list[str]) -> None:
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        up.todo("T2L956", call, f"Trainer.from_argparse_args was removed: pass the flags to Trainer(...) ({LATER})")
        return
    if not flags_added:  # a namespace built elsewhere (from YAML, a config object, another module's parser)
        _other_from_argparse_args(up, call)
        up.exposes_more = up.exposes_more or len(call.args) > 1
        up.todo("T2L956", call, f"the Trainer now gets the entries of {code(call.args[0].value)} its 2.x signature "
                "takes, as from_argparse_args did; 1.x flags 2.x removed (gpus, tpu_cores, ...) are dropped: "
                "check it holds none")  # fmt: skip
        return
    namespace = code(call.args[0].value)
    flags = [keyword(flag, f"{namespace}.{flag}") for flag in [*(f for f, _, _ in table.ARGPARSE_FLAGS), *more]]
    given = {a.keyword.value for a in call.args[1:] if a.keyword is not None}
    flags = [f for f in flags if f.keyword.value not in given]

    def change(updated: cst.Call) -> cst.Call:
        trainer = updated.func.value
        return with_args(updated.with_changes(func=trainer), [*flags, *updated.args[1:]])

    up.edit(call, change)
    # a Trainer(...) call the Trainer rules have not seen: its flag=args.flag keywords are 2.x's, but keywords
    # the script passed along (`progress_bar_refresh_rate=20`) may need them: one more pass then, not always
    up.exposes_more = up.exposes_more or len(call.args) > 1
    up.mapped("T2L223", call, f"Trainer.from_argparse_args({namespace}) -> Trainer(accelerator={namespace}.accelerator, ...)")
