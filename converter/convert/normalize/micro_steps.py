"""Gradients accumulated over a micro-step loop inside the step loop (T2L919) -> one loop over micro-batches (T2L174).

    for i in range(N):                                  for micro_batch in range(N * K):
        model.train()                                       i = micro_batch // K
        for _ in range(K):                                  model.train()
            loss = model(next(train_iter))         ->       loss = model(next(train_iter))
            (loss / K).backward()                           (loss / K).backward()
        clip_grad_norm_(model.parameters(), 0.5)            if (micro_batch + 1) % K == 0:
        optimizer.step()                                        clip_grad_norm_(model.parameters(), 0.5)
        optimizer.zero_grad()                                   optimizer.step()
        if i % VALIDATE_EVERY == 0:                             optimizer.zero_grad()
            evaluate()                                          if i % VALIDATE_EVERY == 0:
                                                                    evaluate()

lucidrains' training scripts and nanoGPT's train.py (after its `while True` becomes a range, T2L137) take this
shape; the micro-batch loop is then a batch loop the rules convert, its window kept as written. Each statement runs
with the same values in the same order: the code before the micro-steps runs when a window starts (under
`if micro_batch % K == 0:`; a bare `model.train()` needs no `if` where the micro-steps switch no mode), the code
after them when it ends, `i` and the micro-step's own variable are computed from the new counter.

Only when that is sure: K a name or a number the loop does not bind, `range(N)` or `range(a, b)` as the outer
loop's range (inside `tqdm(...)` too, or a bar bound to a name on a line of its own: `pbar = tqdm(range(N))`), no `break`/`continue` before the window's end, no `else:`, and no string
over several lines in the code that moves in or out by one level.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from converter.convert.normalize import Normalized, Text, counted_loop, line_edits, python_tree
from converter.convert.normalize.counted_loop import bindings_in, continues, loop_exits
from converter.convert.normalize.sgd_optimizer import calls_backward

CODES = {"T2L174": "gradients accumulated over a micro-step loop in the step loop -> one loop over micro-batches, the step every K"}  # fmt: skip
RUNS_ON = {"T2L919", "T2L921"}  # accumulation declines the micro-step loop; planning, when an epoch loop is around both
COUNTER_NAMES = ("micro_batch", "micro_batch_step", "micro_batch_index")


@dataclass
class _Loops:
    outer: ast.For
    inner: ast.For
    range_call: ast.Call  # the outer loop's `range(...)`
    every: str  # K, as written


def normalize(text: Text) -> Normalized | None:
    """The script with its micro-step loop merged into the loop around it; None (the T2L919 decline stands) when
    that is not sure."""
    merged = _merge(text.source)
    if merged is None:  # nanoGPT's `while True:` counted by hand: a range first (T2L137), then merged
        counted = counted_loop.rewrite(text.source)
        merged = _merge(counted.source) if counted is not None else None
        if merged is None:
            return None
        source, line_in_counted, outer_line, header = merged
        original_line = lambda line: counted.original_line(line_in_counted(line))  # noqa: E731
        merged = source, original_line, counted.original_line(outer_line), counted.header
    source, original_line, outer_line, header = merged
    message = (f"`{header}` with gradients accumulated over a micro-step loop inside -> one loop over micro-batches, "
               "the optimizer's step and the code after the micro-steps at the end of every window")  # fmt: skip
    return Normalized(source, original_line, "T2L174", outer_line, message)


def _merge(source: str) -> tuple[str, Callable[[int], int], int, str] | None:
    """(the merged source, its line map, the outer loop's line, its header), or None."""
    tree = python_tree(source)
    if tree is None:
        return None
    found = [loops for node in ast.walk(tree) if (loops := _loops(node, source, tree)) is not None]
    counter = next((name for name in COUNTER_NAMES if name not in _names(tree)), None)
    if len(found) != 1 or counter is None:
        return None
    loops = found[0]
    lines = source.splitlines(keepends=True)
    edits = _edits(lines, loops, counter, _read(tree, loops))
    if edits is None:
        return None
    merged, original_line = line_edits(lines, edits)
    if python_tree(merged) is None:
        return None
    return merged, original_line, loops.outer.lineno, lines[loops.outer.lineno - 1].strip()


def _loops(node: ast.AST, source: str, tree: ast.Module) -> _Loops | None:
    """An outer `for i in range(...)` whose body holds one `for _ in range(K)` that calls backward, and no backward
    besides it; None where any of the conditions in the module's docstring fails."""
    if not (isinstance(node, ast.For) and isinstance(node.target, ast.Name) and not node.orelse):
        return None
    inner = [s for s in node.body if isinstance(s, ast.For) and calls_backward(s)]
    if len(inner) != 1 or sum(calls_backward(s) for s in node.body) != 1:
        return None
    loop = inner[0]
    position = node.body.index(loop)
    if loop.orelse or not isinstance(loop.target, ast.Name) or not _steps(node.body[position + 1 :]):
        return None  # no step after it: an epoch loop around a step loop, not a window
    if any(isinstance(n, (ast.For, ast.While)) and calls_backward(n) for s in loop.body for n in ast.walk(s)):
        return None  # the micro-steps hold a loop of their own with the backward: not the innermost pair
    every = _count(loop.iter)
    range_call = _range_of(_bar_of(tree, node) or node.iter)
    if every is None or range_call is None or len(range_call.args) > 2 or range_call.keywords:
        return None
    bound = {n.id for n in ast.walk(every) if isinstance(n, ast.Name)}
    if bindings_in(node, bound | {node.target.id}) != [node] or bindings_in(node, {loop.target.id}) != [loop]:
        return None  # K, the step or the micro-step variable bound in the loop besides its header
    if loop_exits(loop) or loop in loop_exits(node) or any(continues(s) for s in node.body[:position]):
        return None  # a window cut short, or one skipped after its start: (a `break` there ends both loops alike)
    if any(_multiline_string(s) for s in node.body):
        return None
    return _Loops(node, loop, range_call, ast.get_source_segment(source, every) or ast.unparse(every))


def _steps(statements: list[ast.stmt]) -> bool:
    """A `.step(...)` call among the statements: the optimizer's (or a scaler's) step after the micro-steps."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "step"
               for s in statements for n in ast.walk(s))  # fmt: skip


def _count(iterated: ast.expr) -> ast.expr | None:
    """K of `range(K)`, a name, an attribute or an integer."""
    if not (isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Name) and iterated.func.id == "range"
            and len(iterated.args) == 1 and not iterated.keywords):  # fmt: skip
        return None
    count = iterated.args[0]
    simple = isinstance(count, (ast.Name, ast.Attribute)) or (isinstance(count, ast.Constant) and type(count.value) is int)
    return count if simple else None


def _bar_of(tree: ast.Module, loop: ast.For) -> ast.expr | None:
    """`pbar = tqdm(range(N))` before `for i in pbar:`: the value of the name the loop iterates, bound once on one
    line outside the loop; None otherwise."""
    if not isinstance(loop.iter, ast.Name):
        return None
    name = loop.iter.id
    bindings = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    assigns = [a for a in ast.walk(tree) if isinstance(a, ast.Assign) and len(a.targets) == 1
               and isinstance(a.targets[0], ast.Name) and a.targets[0].id == name]  # fmt: skip
    if len(bindings) != 1 or len(assigns) != 1 or assigns[0].lineno != assigns[0].end_lineno or assigns[0].lineno >= loop.lineno:
        return None
    return assigns[0].value


def _range_of(iterated: ast.expr) -> ast.Call | None:
    """`range(...)`, alone or as the first argument of a progress bar (`tqdm.tqdm(range(N), desc=...)`)."""
    for candidate in (iterated, iterated.args[0] if isinstance(iterated, ast.Call) and iterated.args else None):
        if isinstance(candidate, ast.Call) and isinstance(candidate.func, ast.Name) and candidate.func.id == "range":
            return candidate
    return None


def _multiline_string(statement: ast.stmt) -> bool:
    """A string literal over several lines: moving it in or out by one level would change its text."""
    return any(isinstance(n, (ast.Constant, ast.JoinedStr)) and (n.end_lineno or n.lineno) > n.lineno
               and (isinstance(n, ast.JoinedStr) or isinstance(n.value, str)) for n in ast.walk(statement))  # fmt: skip


def _names(tree: ast.Module) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}  # fmt: skip


def _read(tree: ast.Module, loops: _Loops) -> set[str]:
    """Of the step's and the micro-step's variables, those read anywhere (the others need no line of their own)."""
    targets = {loops.outer.target.id, loops.inner.target.id}  # type: ignore[attr-defined]
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in targets and isinstance(n.ctx, ast.Load)}


def _edits(lines: list[str], loops: _Loops, counter: str, read: set[str]) -> dict[int, list[str]] | None:
    """The line edits (see `line_edits`) that merge the loops; None where a line's indentation is not plain spaces."""
    outer, inner, every = loops.outer, loops.inner, loops.every
    factor = every if _simple(every) else f"({every})"
    step = inner.body[0].col_offset - inner.col_offset  # one level of indentation, as the script writes it
    indent = " " * inner.col_offset
    header = lines[outer.lineno - 1]
    if (outer.iter.end_lineno or outer.lineno) != outer.lineno or outer.body[0].lineno == outer.lineno or step <= 0:
        return None
    if any("\t" in line[: len(line) - len(line.lstrip())] for line in lines[outer.lineno - 1 : outer.end_lineno]):
        return None
    if loops.range_call.lineno == outer.lineno:
        edits = {outer.lineno: [_header(_scaled(header, loops.range_call, factor), counter)]}
    else:  # `pbar = tqdm(range(N))` on a line of its own: the range is scaled there
        edits = {outer.lineno: [_header(header, counter)]}
        edits[loops.range_call.lineno] = [_scaled(lines[loops.range_call.lineno - 1], loops.range_call, factor)]
    before = outer.body[: outer.body.index(inner)]
    if carried := _bound_at_the_start(before, outer.body[outer.body.index(inner) :]):
        # each micro-batch is a training step of its own: what the window's start binds and the micro-batches after
        # it read must outlive one step (the batch loop's state, bound before it)
        edits[outer.lineno].insert(0, f"{header[: outer.col_offset]}{' = '.join(sorted(carried))} = None  # bound "
                                      "when a window of micro-batches starts, read by the micro-batches after it\n")  # fmt: skip
    if outer.target.id in read:  # type: ignore[attr-defined]
        edits[outer.lineno].append(f"{indent}{outer.target.id} = {counter} // {factor}\n")  # type: ignore[attr-defined]
    # a bare `model.train()` runs at each micro-batch as well as at a window's start, unless the micro-steps switch
    at_start = bool(before) and (_switches(inner) or not all(_switches_to_train(s) for s in before))
    if at_start:
        _indent_block(lines, edits, before[0].lineno, inner.lineno - 1, step, f"{indent}if {counter} % {factor} == 0:\n")
    edits[inner.lineno] = [f"{indent}{inner.target.id} = {counter} % {factor}\n"] if inner.target.id in read else []  # type: ignore[attr-defined]
    for number in range(inner.lineno + 1, (inner.end_lineno or inner.lineno) + 1):
        line = lines[number - 1]
        edits[number] = [line[step:] if line[:step].strip() == "" and line.strip() else line]
    after = outer.body[outer.body.index(inner) + 1 :]
    end = outer.end_lineno or after[-1].end_lineno or after[-1].lineno
    _indent_block(lines, edits, (inner.end_lineno or inner.lineno) + 1, end, step,
                  f"{indent}if ({counter} + 1) % {factor} == 0:\n")  # fmt: skip
    return edits


def _bound_at_the_start(before: list[ast.stmt], rest: list[ast.stmt]) -> set[str]:
    """Names the code before the micro-steps binds and the micro-steps or the code after them read."""
    bound = {n.id for s in before for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    read = {n.id for s in rest for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    summed = {n.target.id for s in rest for n in ast.walk(s) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)}
    return bound & (read | summed)  # `total += x` reads `total` too


def _scaled(line: str, range_call: ast.Call, factor: str) -> str:
    """The line with its `range(N)` -> `range(N * K)` (offsets are in UTF-8 bytes, as ast gives them)."""
    encoded = line.encode()
    start, end = range_call.col_offset, range_call.end_col_offset or range_call.col_offset
    bounds = [ast.unparse(a) for a in range_call.args]
    scaled = ", ".join(f"{b if _simple(b) else f'({b})'} * {factor}" for b in bounds)
    return (encoded[:start] + f"range({scaled})".encode() + encoded[end:]).decode()


def _header(header: str, counter: str) -> str:
    """The outer loop's header with its variable -> the counter."""
    indent = header[: len(header) - len(header.lstrip())]
    target_end = header.index(" in ", len(indent))
    return f"{indent}for {counter}{header[target_end:]}"


def _indent_block(lines: list[str], edits: dict[int, list[str]], first: int, last: int, step: int, opening: str) -> None:
    """Lines first..last one level deeper, under `opening` (put before the first line that is not blank)."""
    opened = False
    for number in range(first, last + 1):
        line = lines[number - 1]
        if not line.strip():
            edits[number] = [line]
            continue
        edits[number] = ([] if opened else [opening]) + [" " * step + line]
        opened = True


def _simple(expression: str) -> bool:
    return expression.replace(".", "").replace("_", "").isalnum()


def _switches_to_train(statement: ast.stmt) -> bool:
    """`model.train()` alone on its line."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "train"
            and not call.args and not call.keywords)  # fmt: skip


def _switches(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in ("train", "eval") for n in ast.walk(node))
