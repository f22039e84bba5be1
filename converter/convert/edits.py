"""Small helpers for building the output: generated statements, parameters, statement lists."""

from __future__ import annotations

from functools import lru_cache

import libcst as cst

from converter.analysis import Index


def parse_statements(text: str) -> list[cst.BaseStatement]:
    """Statements from a snippet of generated code, parsed once per text: libcst's parser costs about 1 ms a call
    even for one line. Sharing is safe: nodes are immutable, and edits are keyed by the identity of nodes of the
    input, never of generated ones."""
    return list(_parse_once(text))


@lru_cache(maxsize=1024)
def _parse_once(text: str) -> tuple[cst.BaseStatement, ...]:
    return tuple(cst.parse_module(text).body)


def sole_assignment(statement: cst.CSTNode) -> cst.Assign | None:
    """The `target = value` a statement line is made of alone (one statement, one target), else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            return small
    return None


def param(text: str) -> cst.Param:
    """`name` or `name=default` -> a parameter."""
    name, _, default = text.partition("=")
    if not default:
        return cst.Param(cst.Name(name))
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return cst.Param(cst.Name(name), default=cst.parse_expression(default), equal=equal)


def kwargs(**values: cst.BaseExpression) -> list[cst.Arg]:
    """`key=value` arguments written without spaces around `=`."""
    eq = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return [cst.Arg(value, keyword=cst.Name(key), equal=eq) for key, value in values.items()]


def nodes(node) -> list:
    """The statements a replacement stands for (a FlattenSentinel is several, a removal none)."""
    if isinstance(node, cst.FlattenSentinel):
        return [n for item in node.nodes for n in nodes(item)]
    return [] if node is cst.RemovalSentinel.REMOVE else [node]


def strip_blank(lines) -> list:
    """Leading blank lines dropped, comment lines kept."""
    lines = list(lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    return lines


def block_of(index: Index, target: cst.CSTNode) -> list[cst.BaseStatement] | None:
    """The statement list that directly holds `target`."""
    parent = index.parent(target)
    if isinstance(parent, (cst.IndentedBlock, cst.Module)):
        return list(parent.body)
    return None


def statements_before(index: Index, statement: cst.CSTNode) -> list[cst.BaseStatement]:
    """The statements above `statement` in its block ([] where it is in none)."""
    block = block_of(index, statement) or []
    return block[: next((i for i, s in enumerate(block) if s is statement), 0)]


def site_statements(plan) -> list[cst.BaseStatement]:
    """The statements beside the site (the loop the Trainer replaces)."""
    block = block_of(plan.index, plan.site) or []
    return [s for s in block if s is not plan.site]


def self_call(method: str, *args: cst.Arg) -> cst.Call:
    """`self.<method>(args)`."""
    return cst.Call(cst.Attribute(cst.Name("self"), cst.Name(method)), list(args))
