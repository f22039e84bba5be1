"""libcst edits every tool here makes: a call's arguments, a function's parameters, changed in the code's own layout;
where new imports go."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst


def passed_for(call: cst.Call, keyword: str, position: int | None) -> cst.Arg | None:
    """The argument a call passes for a parameter: by its keyword, else the `position`-th positional one (a
    `*args` not counted); None where it passes none there (left to a default, or `position` is None: keyword-only)."""
    named_arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    if named_arg is not None or position is None:
        return named_arg
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position] if position < len(positional) else None


def without_args(call: cst.Call, gone: list[cst.Arg]) -> cst.Call:
    """The call without these arguments of the call as it was read: keywords matched by name, positional ones by
    value. Not by the whole argument: where another edit rewrote the argument list (one argument per line), the
    commas and spaces around each differ from the original's, and the argument stayed (a `Trainer` flag reported
    dropped was still passed, and 2.x raised TypeError)."""
    names = {a.keyword.value for a in gone if a.keyword is not None}
    values = [a.value for a in gone if a.keyword is None]
    return with_args(call, [a for a in call.args if not (
        (a.keyword is not None and a.keyword.value in names)
        or (a.keyword is None and any(a.value.deep_equals(v) for v in values)))])  # fmt: skip


def with_args(call: cst.Call, args: list[cst.Arg]) -> cst.Call:
    """Set a call's arguments, keeping its layout: an argument kept from the call keeps its own comma (and the
    comments in it); a new one gets a clean separator in the call's style."""
    if not args:
        return call.with_changes(args=[])
    original = list(call.args)
    trailing = original[-1].comma if original else cst.MaybeSentinel.DEFAULT
    commas = [a.comma for a in original[:-1] if isinstance(a.comma, cst.Comma)]
    # A call written over several lines gets one argument per line, indented as its first continuation line.
    multiline = next((c for c in commas if isinstance(c.whitespace_after, cst.ParenthesizedWhitespace)), None)
    if multiline is not None:
        after = multiline.whitespace_after
        clean = cst.ParenthesizedWhitespace(indent=after.indent, last_line=after.last_line)  # type: ignore[union-attr]
        separator = cst.Comma(whitespace_after=clean)
    else:
        separator = commas[0] if commas else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    fixed = []
    for index, arg in enumerate(args):
        kept = any(arg is o for o in original[:-1]) and isinstance(arg.comma, cst.Comma)
        if index == len(args) - 1:
            fixed.append(arg.with_changes(comma=trailing))
        elif kept and (multiline is None or isinstance(arg.comma.whitespace_after, cst.ParenthesizedWhitespace)):
            fixed.append(arg)
        else:
            fixed.append(arg.with_changes(comma=separator))
    return call.with_changes(args=fixed)


def without_params(parameters: cst.Parameters, dropped: Callable[[int, cst.Param], bool]) -> cst.Parameters:
    """The positional parameters but those `dropped(index, param)` names, the last one's comma fixed (no trailing
    comma left after the one removed)."""
    kept = [p for i, p in enumerate(parameters.params) if not dropped(i, p)]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return parameters.with_changes(params=kept)


def named(*names: str) -> Callable[[int, cst.Param], bool]:
    """For `without_params`: the parameters called one of `names`."""
    return lambda _, param: param.name.value in names


def last_import(module: cst.Module) -> cst.CSTNode:
    """The module's last top-level import statement (its first statement when it has none): new imports follow it."""
    imports = [s for s in module.body if isinstance(s, cst.SimpleStatementLine)
               and isinstance(s.body[0], (cst.Import, cst.ImportFrom))]  # fmt: skip
    return imports[-1] if imports else module.body[0]
