"""Code generation that copies the source text of every statement the edits left as it was parsed.

libcst generates a module's code by visiting every node of it, about half the cost of parsing it. After the
converter's edits most statements of a script are still the very nodes that were parsed (an edit rebuilds only
the path from the module down to what it changed), and the code of such a statement is the text it was parsed
from. So `code` wraps each of them in a node whose code is that text, used where the statement sits at the
indentation it had, or re-indented where that is exact (a statement on one line); libcst generates the rest (what
changed, and longer statements moved to another indentation, their own statements still copied).

A statement's text starts `leading_lines` lines above its first line (Python's `ast` line numbers, paired with
libcst's statements by `Index`) and ends at its last line, or, for a compound statement, where its last block
ends (that block's last statement and its footer lines). Each boundary is reckoned from both sides, the end of a
statement and the start of the next; a block where any two disagree keeps libcst's generation.
"""

from __future__ import annotations

import ast
import dataclasses
import re

import libcst as cst

from converter.analysis import Index, blocks_of, paired_statements, with_children

_NEWLINE = re.compile(r"\r\n?|\n")
_CONTAINERS = (cst.BaseCompoundStatement, cst.IndentedBlock, cst.Else, cst.ExceptHandler, cst.ExceptStarHandler,
               cst.Finally, cst.MatchCase, cst.Module)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _Text:
    """A statement's source text, the indentation it was parsed at, and the module's default indent and newline."""

    statement: cst.CSTNode
    text: str
    indent: str
    defaults: tuple[str, str]

    def at(self, indent: str) -> str | None:
        """The text at another indentation, where that is exact: a statement on one line (with the lines above it
        it owns), whose indented lines all start with its indentation. Else None (libcst generates it)."""
        lines = _lines(self.text)
        leading = self.statement.leading_lines  # type: ignore[attr-defined]
        if len(lines) != len(leading) + 1 or getattr(self.statement, "decorators", ()):
            return None
        if not lines[-1].startswith(self.indent) or lines[-1][len(self.indent) : len(self.indent) + 1] in " \t":
            return None  # (an indentation this reckoned wrong would show here)
        moved = []
        for line, indented in zip(lines, [*(e.indent for e in leading), True]):
            if indented:
                if not line.startswith(self.indent):
                    return None
                line = indent + line[len(self.indent) :]
            moved.append(line)
        return "".join(moved)


@dataclasses.dataclass(frozen=True)
class _Verbatim(cst.CSTNode):
    """A statement generated from its source text: as it is at the indentation it was parsed at, re-indented where
    that is exact (`_Text.at`), else by libcst with its own statements copied where they can be. Only ever inside
    a tree made for code generation."""

    source: _Text
    wrap: _Wrap

    def _visit_and_replace_children(self, visitor: cst.CSTVisitorT) -> cst.CSTNode:
        return self

    def _codegen_impl(self, state) -> None:  # noqa: ANN001 - libcst's CodegenState
        source = self.source
        indent = "".join(state.indent_tokens)
        text = None
        if (state.default_indent, state.default_newline) == source.defaults:
            text = source.text if indent == source.indent else source.at(indent)
        if text is None:
            with_children(source.statement, self.wrap)._codegen(state)
            return
        state.add_token(text)
        if not text.endswith(("\n", "\r")):  # the file's last line, without its newline: the module drops the
            state.add_token(state.default_newline)  # newline libcst generates there (`pop_trailing_newline`)


def code(module: cst.Module, index: Index) -> str:
    """`module.code`, for a module made by editing `index`'s module: untouched statements are copied from
    `index.source`, which must be the text that module was parsed from (as everywhere an `Index` is made here)."""
    texts = statement_texts(index)
    if not texts:
        return module.code
    return _Wrap(texts)(module).code


class _Wrap:
    """The tree with each statement that has a text replaced by its `_Verbatim`, descending only into what holds
    statements (an object, not a recursive closure: see `analysis._Rebuild`)."""

    def __init__(self, texts: dict[int, _Text]) -> None:
        self.texts = texts

    def __call__(self, node: cst.CSTNode) -> cst.CSTNode:
        text = self.texts.get(id(node))
        if text is not None and text.statement is node:
            return _Verbatim(text, self)
        if isinstance(node, _CONTAINERS):
            return with_children(node, self)
        return node


def _line_starts(text: str) -> list[int]:
    """Where each line of a text starts (Python's newlines only, unlike `str.splitlines`), then the text's end."""
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    if starts[-1] < len(text):  # a last line without a newline
        starts.append(len(text))
    return starts


def _lines(text: str) -> list[str]:
    """The lines of a text, each with its newline."""
    starts = _line_starts(text)
    return [text[start:end] for start, end in zip(starts, starts[1:])]


def statement_texts(index: Index) -> dict[int, _Text]:
    """Each statement of the index's module whose source text is known exactly (by id), made once per index."""
    known = index.memo.get("verbatim")
    if known is None:
        known = index.memo["verbatim"] = _Texts(index).found
    return known  # type: ignore[return-value]


class _Texts:
    """The texts of a module's statements, block by block (see the module's docstring)."""

    def __init__(self, index: Index) -> None:
        self.found: dict[int, _Text] = {}
        module, source = index.module, index.source
        paired = paired_statements(index) if isinstance(module, cst.Module) and source else None
        if paired is None:
            return
        self.first, self.last = _extents(index, paired)
        self.source = source
        self.offsets = _line_starts(source)
        self.defaults = (module.default_indent, module.default_newline)
        lines = len(self.offsets) - 1
        self._block(module.body, "", len(module.header), lines - len(module.footer))

    def _block(self, body, indent: str, begin: int | None, end: int | None) -> None:  # noqa: ANN001
        """The texts of one block's statements, if every boundary agrees; then those of the blocks they hold."""
        starts = [self._start(s) for s in body]
        ends = [self._end(s) for s in body]
        agree = bool(body) and None not in starts and None not in ends and ends[:-1] == starts[1:]
        agree = agree and (begin is None or starts[0] == begin) and (end is None or ends[-1] == end)
        if agree:
            for statement, start, stop in zip(body, starts, ends):
                text = self.source[self.offsets[start] : self.offsets[stop]]  # type: ignore[index]
                self.found[id(statement)] = _Text(statement, text, indent, self.defaults)
        default_indent = self.defaults[0]
        for statement in body:
            if isinstance(statement, cst.BaseCompoundStatement):
                outer = indent
                if isinstance(statement, cst.Match):  # its cases are indented too
                    outer += default_indent if statement.indent is None else statement.indent
                for block in _inner_blocks(statement):
                    inner = outer + (default_indent if block.indent is None else block.indent)
                    self._block(block.body, inner, None, None)

    def _start(self, statement: cst.CSTNode) -> int | None:
        """The line (from 0) the statement's text starts on: its first line, less the lines above it it owns."""
        line = self.first.get(id(statement))
        if line is None:
            return None
        above = len(statement.leading_lines)  # type: ignore[attr-defined]
        decorators = getattr(statement, "decorators", ())
        if decorators:
            above += len(decorators[0].leading_lines)
        start = line - 1 - above
        return start if start >= 0 else None

    def _end(self, statement: cst.CSTNode) -> int | None:
        """The line (from 0) after the statement's text: after its last line, or after its last block's footer."""
        if isinstance(statement, cst.SimpleStatementLine):
            return self.last.get(id(statement))
        block = blocks_of(statement)[-1]
        while isinstance(block, cst.If):  # an elif chain: its last block
            block = blocks_of(block)[-1]
        if not isinstance(block, cst.IndentedBlock):  # a block on the header's line (`if x: y = 1`)
            return self.last.get(id(statement))
        inner = self._end(block.body[-1]) if block.body else None
        cases = len(statement.footer) if isinstance(statement, cst.Match) else 0  # lines after the last case
        return None if inner is None else inner + len(block.footer) + cases


def _extents(index: Index, paired: list[tuple[cst.CSTNode, ast.stmt]]) -> tuple[dict[int, int], dict[int, int]]:
    """Each statement line's and compound statement's first line (its first decorator's, if any) and last line,
    by id, from the `ast` pairing."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    twins: dict[int, ast.stmt] = {}
    for node, twin in paired:
        twins[id(node)] = twin
        if isinstance(node, cst.BaseCompoundStatement):
            decorators = getattr(twin, "decorator_list", None)
            first[id(node)] = decorators[0].lineno if decorators else twin.lineno
            last[id(node)] = twin.end_lineno  # type: ignore[assignment]
    for line in index.of_kind(cst.SimpleStatementLine):
        if line.body and id(line.body[0]) in twins and id(line.body[-1]) in twins:
            first[id(line)] = twins[id(line.body[0])].lineno
            last[id(line)] = twins[id(line.body[-1])].end_lineno  # type: ignore[assignment]
    return first, last


def _inner_blocks(statement: cst.CSTNode) -> list[cst.IndentedBlock]:
    """The indented blocks a compound statement holds directly (an elif's too)."""
    found = []
    for block in blocks_of(statement):
        if isinstance(block, cst.If):
            found += _inner_blocks(block)
        elif isinstance(block, cst.IndentedBlock):
            found.append(block)
    return found
