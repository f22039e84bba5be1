"""The one way `t2l convert` and `t2l upgrade` mark what they did not change: `# TODO(t2l): CODE reason`.

A TODO always marks a line of the output: the statement it is about, or, when that statement was replaced, the
first line of what replaced it. A comment is one line, so source text that spans lines is folded into it.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from converter.names import rename

Replacement = cst.CSTNode | cst.FlattenSentinel | cst.RemovalSentinel | Callable | None


def todo_line(code: str, reason: str) -> cst.EmptyLine:
    """The comment line: `# TODO(t2l): T2L9xx reason`, with `reason` folded onto one line."""
    return cst.EmptyLine(comment=cst.Comment(f"# TODO(t2l): {code} {' '.join(reason.split())}"))


def marked(node, comment: cst.EmptyLine):
    """`node` with `comment` added above it; an edit may have made it several statements (the first is marked),
    or none (nothing left to mark: the report still has the line). A comment already there is not repeated."""
    if isinstance(node, cst.FlattenSentinel):
        nodes = list(node.nodes)
        return cst.FlattenSentinel([marked(nodes[0], comment), *nodes[1:]]) if nodes else node
    if not hasattr(node, "leading_lines"):
        return node
    if any(line.comment and line.comment.value == comment.comment.value for line in node.leading_lines):  # type: ignore[union-attr]
        return node
    return node.with_changes(leading_lines=[*node.leading_lines, comment])


def applied(previous: Replacement, updated: cst.CSTNode):
    """What an earlier edit (a function of the updated node, a replacement node, or None) makes of `updated`."""
    return previous(updated) if callable(previous) else updated if previous is None else previous


def marking(previous: Replacement, comment: cst.EmptyLine) -> Callable[[cst.CSTNode], object]:
    """An edit that applies `previous` and marks the result: two rules can replace and mark one statement without
    losing either's work."""
    return lambda updated: marked(applied(previous, updated), comment)


def renaming(previous: Replacement, mapping: dict[str, cst.BaseExpression]) -> Callable[[cst.CSTNode], object]:
    """An edit that applies `previous` and renames names in the result (`optimizer` -> the Trainer's, `loss` ->
    `lit_model.loss`): two rules can rename in one statement without losing either's work."""
    return lambda updated: rename(applied(previous, updated), mapping)


def kept(report, code: str, line: int, stmt: cst.BaseStatement, reason: str) -> cst.BaseStatement:
    """A statement kept as written: reported at `line` and marked with its TODO."""
    report.add(code, line, reason)
    return marked(stmt, todo_line(code, reason))


def insert_above(text: str, comments: dict[int, list[str]]) -> str:
    """`text` with each comment line (`# TODO(t2l): ...`) inserted above its line, at that line's indent."""
    if not comments:
        return text
    lines = text.splitlines(keepends=True)
    for line in sorted(comments, reverse=True):
        target = lines[line - 1]
        indent = target[: len(target) - len(target.lstrip())]
        lines[line - 1 : line - 1] = [f"{indent}{comment}\n" for comment in comments[line]]
    return "".join(lines)
