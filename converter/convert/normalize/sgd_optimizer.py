"""Manual SGD (T2L131): parameters updated by hand become a `torch.optim.SGD` the rest of the converter maps.

    for p in model.parameters():                 optimizer.step()
        p.data.add_(p.grad, alpha=-lr)     ->
    ...
    lr = 20.0                                    lr = 20.0
                                                 optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    lr /= 4.0                                    lr /= 4.0; optimizer.param_groups[0]["lr"] = lr

Without momentum or weight decay, SGD's step is exactly `param.add_(grad, alpha=-lr)`: the same arithmetic, so
the converted script stays bitwise equal. An update that rounds the product first (`p -= lr * p.grad`,
`p.data.add_(-0.1 * p.grad)`: the regression example, tutorials) is not SGD's arithmetic: about one weight in ten
would differ in its last bit after each step. For those the script gets `SGDAsWritten`, SGD with its step written as
the script's update (`p.sub_(lr * p.grad)`), so that it stays bitwise equal too. Every statement that changes the
learning rate by hand (annealing on a validation plateau, the word-language-model shape) also sets it in the
optimizer's parameter group.

Like every normalizer it works on the source text and keeps a map from its lines back to the input's, so
that every report line still points into the file the user wrote. It applies only when every piece is found:
the update loop inside a loop that calls backward(), `p.data` (or `p`) updated from `p.grad` with one
learning-rate name, and that name and the model bound at module level or in one function.
"""

from __future__ import annotations

import ast

from converter.convert.normalize import Normalized, Text, docstring, line_edits, python_tree

CODES = {"T2L131": "parameters updated by hand (p.data.add_(p.grad, alpha=-lr)) -> torch.optim.SGD, lr changes synced"}
RUNS_ON = {"T2L903"}  # the rules' "no optimizer step" (converter/convert/rules/manual_sgd.py)
MESSAGE = "manual SGD update -> torch.optim.SGD stepped by Lightning; learning-rate changes set in its param_groups"
# SGD's step is add_(grad, alpha=-lr): one fused multiply-add, one rounding. `p -= lr * p.grad` rounds lr * grad
# first, so about one weight in ten differs in its last bit after each update (measured: 8.8% of 100,000).
ROUNDING = ("; the update rounds lr * p.grad before subtracting it, which SGD's step does not: `{name}`, SGD with "
            "the script's update as its step, keeps every weight bitwise equal")
AS_WRITTEN = '''class {name}(torch.optim.SGD):
    """torch.optim.SGD whose step is the script's own update, `p -= lr * p.grad`: the product is rounded before it
    is subtracted (SGD's `p.add_(p.grad, alpha=-lr)` rounds once, and the weights would differ in the last bit).
    Written by `t2l convert` (T2L131)."""

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.sub_(group["lr"] * p.grad)
        return loss


'''


def normalize(text: Text) -> Normalized | None:
    """The script with its update loop made an SGD step; None (the T2L903 TODO stands) when that is not sure."""
    return rewrite(text.source)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (base := _dotted(node.value)):
        return f"{base}.{node.attr}"
    return None


def _learning_rate(statement: ast.stmt, param: str) -> tuple[str, bool] | None:
    """The learning rate (a dotted name or a number) of an update of `param` from its gradient, and whether the update
    is SGD's own arithmetic (fused: `p.data.add_(p.grad, alpha=-lr)`, `p.data.add_(-lr, p.grad)`) or rounds the
    product first (`p.data -= lr * p.grad`, `p.data.add_(-lr * p.grad)`, `p.data.sub_(lr * p.grad)`; with or
    without `.data` on either side); None for anything else."""
    grads = {f"{param}.grad", f"{param}.grad.data"}
    targets = {param, f"{param}.data"}

    def negated(node: ast.expr) -> str | None:
        return _rate(node.operand) if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) else None

    def product(node: ast.expr, sign) -> str | None:  # `rate * grad` / `grad * rate`, the rate read by `sign`
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            if _dotted(node.right) in grads:
                return sign(node.left)
            if _dotted(node.left) in grads:
                return sign(node.right)
        return None

    if isinstance(statement, ast.Expr) and isinstance(call := statement.value, ast.Call):
        if not (isinstance(call.func, ast.Attribute) and call.func.attr in ("add_", "sub_") and _dotted(call.func.value) in targets):
            return None
        args, alpha = call.args, next((k.value for k in call.keywords if k.arg == "alpha"), None)
        if call.func.attr == "sub_":
            return (lr, False) if len(args) == 1 and alpha is None and (lr := product(args[0], _rate)) else None
        if len(args) == 1 and _dotted(args[0]) in grads and alpha is not None and (lr := negated(alpha)):
            return lr, True
        if len(args) == 2 and _dotted(args[1]) in grads and (lr := negated(args[0])):
            return lr, True
        if len(args) == 1 and alpha is None and (lr := product(args[0], negated)):
            return lr, False
        return None
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Sub) and _dotted(statement.target) in targets:
        return (lr, False) if (lr := product(statement.value, _rate)) else None
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add) and _dotted(statement.target) in targets:
        return (lr, False) if (lr := product(statement.value, negated)) else None  # `p.data += -lr * p.grad`
    return None


def _no_grad_around(tree: ast.Module, loop: ast.For) -> ast.With | None:
    """The `with torch.no_grad():` block whose only statement is the update loop."""
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and node.body == [loop] and len(node.items) == 1:
            call = node.items[0].context_expr
            if isinstance(call, ast.Call) and _dotted(call.func) in ("torch.no_grad", "no_grad") and not call.args:
                return node
    return None



def _rate(node: ast.expr) -> str | None:
    """A learning rate as the update reads it: a dotted name, or a positive number as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return repr(node.value) if node.value > 0 else None
    return _dotted(node)


def _update_loop(tree: ast.Module) -> tuple[ast.For, str, tuple[str, bool], ast.AST, ast.AST] | None:
    """The one `for p in X.parameters(): <update>` (or `for p in parameters:`, a name for a list of tensors) loop
    inside a loop that calls backward(): (loop, `X.parameters()` or `parameters`, (learning rate, fused), the function
    or module it is in, the outermost loop around it that calls backward)."""
    found: dict[int, tuple[ast.For, str, tuple[str, bool], ast.AST]] = {}  # by line: outer loops find the same one
    for outer in ast.walk(tree):
        if not isinstance(outer, (ast.For, ast.While)) or not calls_backward(outer):
            continue
        for loop in ast.walk(outer):
            if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and len(loop.body) == 1):
                continue
            params = _parameters(loop.iter)
            rate = _learning_rate(loop.body[0], loop.target.id) if params else None
            if params and rate and loop.lineno not in found:
                found[loop.lineno] = (loop, params, rate, outer)
    if len(found) != 1:
        return None
    ((loop, params, lr, outer),) = found.values()
    return loop, params, lr, _innermost_function(tree, loop), outer


def _parameters(iterated: ast.expr) -> str | None:
    """`model.parameters()` as written, or a plain name (`parameters`: its binding is checked to be a list)."""
    if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) and iterated.func.attr == "parameters":
        return f"{model}.parameters()" if not iterated.args and (model := _dotted(iterated.func.value)) else None
    return iterated.id if isinstance(iterated, ast.Name) else None


def _a_list_of_names(statement: ast.stmt) -> bool:
    """`parameters = [C, W1, b1]`: the tensors the update loop walks, named (Zero to Hero's makemore)."""
    value = statement.value if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None
    return isinstance(value, (ast.List, ast.Tuple)) and bool(value.elts) and all(isinstance(e, ast.Name) for e in value.elts)


def _set_to_none(tree: ast.AST, params: str) -> list[ast.For]:
    """`for p in parameters: p.grad = None`: the list's gradients dropped by hand, the optimizer's zero_grad()."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.For) and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Name) and node.iter.id == params and len(node.body) == 1 and not node.orelse
            and isinstance(assign := node.body[0], ast.Assign) and len(assign.targets) == 1
            and _dotted(assign.targets[0]) == f"{node.target.id}.grad"
            and isinstance(assign.value, ast.Constant) and assign.value.value is None]  # fmt: skip


def _set_each_step(tree: ast.Module, outer: ast.AST, update: ast.For, name: str) -> bool:
    """The learning rate bound only by one-line assignments in the training loop before the update (`lr = 0.1 if i <
    100000 else 0.01`): the optimizer gets it each step."""
    bindings = _rebindings(tree, name)
    inside = {id(n) for n in ast.walk(outer)}
    return bool(bindings) and all(id(b) in inside and isinstance(b, ast.Assign) and b.lineno < update.lineno for b in bindings)


def calls_backward(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "backward" for n in ast.walk(node))


def _innermost_function(tree: ast.Module, node: ast.AST) -> ast.AST:
    owner: ast.AST = tree
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and function.lineno <= node.lineno <= (function.end_lineno or 0):
            if owner is tree or function.lineno > owner.lineno:  # type: ignore[attr-defined]
                owner = function
    return owner


def _top_level_bindings(body: list[ast.stmt], name: str) -> list[ast.stmt]:
    """Statements of `body` (not nested) that bind `name`."""
    found = []
    for statement in body:
        targets: list[ast.expr] = []
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = [statement.target]
        names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        if name in names:
            found.append(statement)
    return found


def _rebindings(tree: ast.Module, name: str) -> list[ast.stmt]:
    """One-line statements anywhere that assign `name` again (`lr /= 4.0`, `lr = lr * 0.5`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign)) and node.lineno == node.end_lineno:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_dotted(t) == name for t in targets):
                found.append(node)
    return found


def rewrite(source: str) -> Normalized | None:
    tree = python_tree(source)
    if tree is None:
        return None
    match = _update_loop(tree)
    if match is None:
        return None
    if not any(isinstance(n, ast.Import) and any(a.name == "torch" and a.asname is None for a in n.names)
               for n in tree.body):  # fmt: skip
        return None  # `torch.optim.SGD` needs `import torch`
    loop, params, (lr, fused), scope, outer = match
    model = params.removesuffix(".parameters()")
    each_step = not lr[0].isdigit() and _set_each_step(tree, outer, loop, lr)
    names = [model] if lr[0].isdigit() or each_step else [model, lr]  # a number (`add_(-0.1 * p.grad)`) is bound nowhere
    body = scope.body if isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
    home = tree if isinstance(scope, ast.Module) or not _top_level_bindings(body, model.split(".")[0]) else scope
    home_body = home.body  # type: ignore[attr-defined]
    bindings = [_top_level_bindings(home_body, name.split(".")[0]) for name in names]
    if not all(bindings) or any(isinstance(b[0], ast.AugAssign) for b in bindings):
        return None  # the model or the learning rate is bound somewhere this rewrite does not follow
    if params == model and (len(bindings[0]) != 1 or not _a_list_of_names(bindings[0][0])):
        return None  # `for p in parameters:` over anything but a list of named tensors bound once
    anchor = max((b[0] for b in bindings), key=lambda s: s.end_lineno or s.lineno)
    if anchor.end_lineno and anchor.end_lineno > loop.lineno and home is scope:
        return None
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    optimizer = next(name for name in ("optimizer", "sgd_optimizer", "sgd") if name not in taken)
    lines = source.splitlines(keepends=True)

    def indent(node: ast.stmt) -> str:
        return lines[node.lineno - 1][: node.col_offset]

    edits: dict[int, list[str]] = {}  # 1-based input line -> replacement lines
    replaced = _no_grad_around(tree, loop) or loop  # `with torch.no_grad():` around the update alone goes with it
    edits[replaced.lineno] = [f"{indent(replaced)}{optimizer}.step()\n"]
    for line in range(replaced.lineno + 1, (replaced.end_lineno or replaced.lineno) + 1):
        edits[line] = []
    for zeroing in _set_to_none(outer, model) if params == model else []:
        edits[zeroing.lineno] = [f"{indent(zeroing)}{optimizer}.zero_grad()\n"]
        for line in range(zeroing.lineno + 1, (zeroing.end_lineno or zeroing.lineno) + 1):
            edits[line] = []
    for statement in _rebindings(tree, lr) if len(names) == 2 or each_step else []:
        if statement.lineno in edits or (not each_step and statement in bindings[1][:1]):
            continue
        text = lines[statement.lineno - 1].rstrip("\n")
        if "#" in text or text.rstrip().endswith(":"):
            return None  # a comment or a compound header on the line: not a place to append a statement
        edits[statement.lineno] = [f'{text}; {optimizer}.param_groups[0]["lr"] = {lr}\n']
    end = anchor.end_lineno or anchor.lineno
    sgd = "torch.optim.SGD" if fused else next(n for n in ("SGDAsWritten", "SGDAsTheScriptWrote") if n not in taken)
    each = f"  # its rate set each step, where the script sets `{lr}`" if each_step else ""
    construction = f"{indent(anchor)}{optimizer} = {sgd}({params}, lr={'0.0' if each_step else lr}){each}\n"
    edits[end] = [*(edits.get(end) or [lines[end - 1]]), construction]
    if not fused:  # the class after the imports at the top
        first = next((s for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom)) and not docstring(s)), None)
        if first is None or first.lineno > anchor.lineno:
            return None
        above = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
        blank = next((i for i in range(above - 1) if lines[above - 2 - i].strip()), above - 1)  # blank lines above it
        spacing = ["\n"] * max(0, 2 - blank) if above > 1 else []  # two blank lines around a top-level class
        edits[above] = [*spacing, *AS_WRITTEN.format(name=sgd).splitlines(keepends=True), *(edits.get(above) or [lines[above - 1]])]
    text, original_line = line_edits(lines, edits)
    return Normalized(text, original_line, "T2L131", loop.lineno, MESSAGE if fused else MESSAGE + ROUNDING.format(name=sgd))
