"""After the rules: check the output against the Lightning 2.x installed here, and mark what it would reject (T2L960).

The rules know the 1.x API they rewrite; this check knows nothing of 1.x. It reads the installed package's own
source (with Python's parser: importing Lightning costs seconds, reading a few of its files milliseconds) and asks
of the upgraded file what 2.x will ask of it:

- every `from pytorch_lightning.x import y` (or `lightning.pytorch`) names a module and a name that exist;
- every method a subclass of a Lightning class overrides (a LightningModule, a Callback, a DataModule, BaseFinetuning,
  through bases in the same file) accepts the arguments 2.x passes: no more required parameters than it passes,
  room for all it may pass (`dataloader_idx` is passed only with several loaders);
- `Trainer(...)` keywords exist in 2.x's `Trainer.__init__`; `trainer.x` / `self.trainer.x` attributes exist;
- no class defines a method twice (two rewrites can both produce `on_train_epoch_end`: the second would replace
  the first).

Each failure is reported at its line in the input and marked `# TODO(t2l): T2L960 ...` above the line.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from functools import cache
from pathlib import Path

from converter.report import line_map
from converter.upgrade.legacy import dotted_name

CODES = {"T2L960": "the installed Lightning 2.x would reject this (checked against its own source)"}
TOPS = ("pytorch_lightning", "lightning")
READABLE = (*TOPS, "torchmetrics")  # packages whose installed source is read (torchmetrics: for task=)


@cache
def _module_file(module: str) -> Path | None:
    """The installed source file of a Lightning module, found without importing anything."""
    top, *rest = module.split(".")
    if top not in READABLE:
        return None
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))).joinpath(*rest)
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of an import inside the installed package (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    package = parts if _module_file(module) and _module_file(module).name == "__init__.py" else parts[:-1]  # type: ignore[union-attr]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


@cache
def _names(module: str) -> tuple[frozenset[str], dict[str, str], bool] | None:
    """What a module defines at top level, the names it imports (name -> the module it comes from), and whether it
    may hold more (a star import, a module `__getattr__`); None when it cannot be read."""
    path = _module_file(module)
    if path is None:
        return None
    defined: set[str] = set()
    imported: dict[str, str] = {}
    open_ended = False
    statements = list(_tree(path).body)
    while statements:
        node = statements.pop()
        if isinstance(node, (ast.If, ast.Try)):
            statements += [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                           *(s for h in getattr(node, "handlers", []) for s in h.body)]  # fmt: skip
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            open_ended |= node.name == "__getattr__"
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
        elif isinstance(node, ast.Import):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            if any(a.name == "*" for a in node.names):  # a star import of a module we can read: its names
                star = _names(source) if source != module else None
                open_ended |= star is None or star[2]
                defined |= set(star[0]) | set(star[1]) if star else set()
            for alias in (a for a in node.names if a.name != "*"):
                imported[alias.asname or alias.name] = f"{source}.{alias.name}"
    return frozenset(defined), imported, open_ended


def _exists(module: str, name: str) -> bool:
    names = _names(module)
    if names is None or name in names[0] or name in names[1] or names[2]:
        return True
    return _module_file(f"{module}.{name}") is not None  # a submodule


@cache
def installed_class(qualified: str, depth: int = 0) -> ast.ClassDef | None:
    """The installed class `package.module.Name`, following re-exports (`from .callback import Callback`)."""
    module, _, name = qualified.rpartition(".")
    names = _names(module)
    if names is None or depth > 8:
        return None
    if name in names[1]:
        return installed_class(names[1][name], depth + 1)
    path = _module_file(module)
    return next((n for n in _tree(path).body if isinstance(n, ast.ClassDef) and n.name == name), None)  # type: ignore[arg-type]


@cache
def _methods(qualified: str) -> dict[str, ast.FunctionDef]:
    """The methods of an installed Lightning class and its Lightning bases (nearest definition wins)."""
    found: dict[str, ast.FunctionDef] = {}
    module, _, name = qualified.rpartition(".")
    names = _names(module)
    if names is not None and name in names[1]:  # a re-export (`pytorch_lightning.LightningModule`): its bases are
        return _methods(names[1][name])  # named in the module that defines it
    cls = installed_class(qualified)
    if cls is None:
        return found
    imported = names[1] if names else {}
    for base in reversed(cls.bases):
        base_name = dotted_name(base)
        if base_name in imported:
            found.update(_methods(imported[base_name]))
        elif base_name and "." not in base_name:
            found.update(_methods(f"{module}.{base_name}"))
    found.update({n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)})
    return found


def _positional(function: ast.FunctionDef) -> tuple[list[str], int, bool]:
    """(positional parameter names after self, how many are required, whether *args takes more)."""
    args = function.args
    params = [a.arg for a in [*args.posonlyargs, *args.args]][1:]
    required = len(params) - len(args.defaults)
    return params, max(required, 0), args.vararg is not None


def _signature_problem(mine: ast.FunctionDef, theirs: ast.FunctionDef) -> str | None:
    their_params, their_required, their_star = _positional(theirs)
    if their_star or theirs.args.kwarg is not None or any(dotted_name(d) in ("property", "staticmethod") for d in theirs.decorator_list):
        return None  # 2.x passes what it likes (training_step(*args, **kwargs)): nothing to compare
    if any(dotted_name(d).endswith(("property", "setter", "staticmethod", "classmethod")) for d in mine.decorator_list):
        return None
    passed_at_least = their_required + sum(1 for p in their_params[their_required:] if p != "dataloader_idx")
    passed_at_most = len(their_params) - ("dataloader_idx" in their_params[their_required:])
    my_params, my_required, my_star = _positional(mine)
    if my_required > passed_at_least or (not my_star and len(my_params) < passed_at_most):
        shown = [p + ("=..." if i >= their_required else "") for i, p in enumerate(their_params)]
        hint = " (dataloader_idx only with several loaders: give it a default)" if "dataloader_idx" in their_params else ""
        return f"2.x calls {theirs.name}({', '.join(shown)}){hint}; this one takes ({', '.join(my_params)})"
    return None


def problems(output: str, tree: ast.Module | None = None) -> list[tuple[int, str]]:
    """(line in `output`, what the installed Lightning 2.x would reject), in line order (`tree`: the output's)."""
    try:
        tree = tree or ast.parse(output)
    except SyntaxError:
        return []
    imported: dict[str, str] = {}  # local name -> qualified Lightning name
    found: list[tuple[int, str]] = []
    statements = list(_statements(tree.body))  # statements only: expressions are most of a tree, and only the
    nodes: dict[type, list] = {}  # Trainer checks need them (walked there, when the text can hold a problem)
    for node, _ in statements:
        nodes.setdefault(type(node), []).append(node)
    for node in [s for s, guarded in statements if isinstance(s, (ast.ImportFrom, ast.Import)) and not guarded]:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in READABLE and not node.level:
            package = _package(node.module)
            if _module_file(node.module) is None:
                found.append((node.lineno, f"no module `{node.module}` in the installed {package}"))
                continue
            for alias in node.names:
                if alias.name != "*" and not _exists(node.module, alias.name):
                    found.append((node.lineno, f"`{node.module}` has no `{alias.name}` in the installed {package}"))
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in READABLE:
                    if _module_file(alias.name) is None:
                        found.append((node.lineno, f"no module `{alias.name}` in the installed {_package(alias.name)}"))
                    imported[alias.asname or alias.name.split(".")[0]] = alias.asname and alias.name or alias.name.split(".")[0]
    found += _classes(nodes.get(ast.ClassDef, []), imported)
    found += _trainer_uses(output, tree, imported)
    return sorted(set(found))


def _package(module: str) -> str:
    return "torchmetrics (Lightning 2.x needs >= 0.11)" if module.split(".")[0] == "torchmetrics" else "Lightning"


def _statements(body: list[ast.stmt], guarded: bool = False):
    """Every statement (in functions, classes and compound statements), with whether it sits under a `try:` or an
    `if` (an import there is a deliberate fallback: the code chose what to do without it)."""
    for node in body:
        yield node, guarded
        inner = guarded or isinstance(node, (ast.Try, ast.If))
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, None) or [], inner if field == "body" else guarded)
        for handler in getattr(node, "handlers", None) or []:
            yield from _statements(handler.body, guarded)
        for case in getattr(node, "cases", None) or []:
            yield from _statements(case.body, guarded)


def _qualified(node: ast.AST, imported: dict[str, str]) -> str | None:
    name = dotted_name(node)
    head, _, rest = name.partition(".")
    if head not in imported:
        return None
    return imported[head] + (f".{rest}" if rest else "")


def _lightning_base(cls: ast.ClassDef, imported: dict[str, str], local: dict[str, ast.ClassDef],
                    seen: frozenset[str] = frozenset()) -> str | None:  # fmt: skip
    """The installed Lightning class a class of this file derives from (through bases in the file)."""
    for base in cls.bases:
        qualified = _qualified(base, imported)
        if qualified and installed_class(qualified) is not None:
            return qualified
        name = dotted_name(base)
        if name in local and name not in seen:
            if found := _lightning_base(local[name], imported, local, seen | {name}):
                return found
    return None


def _classes(classes: list[ast.ClassDef], imported: dict[str, str]) -> list[tuple[int, str]]:
    local = {n.name: n for n in classes}
    found = []
    for cls in local.values():
        methods = [n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        seen: set[str] = set()
        for method in methods:
            variant = any(dotted_name(d).endswith((".setter", ".getter", ".deleter", "overload")) for d in method.decorator_list)
            if variant:
                continue  # @overload declarations, property setters: one method
            if method.name in seen:
                found.append((method.lineno, f"`{cls.name}` defines `{method.name}` again: this one replaces the first"))
            seen.add(method.name)
        base = _lightning_base(cls, imported, local)
        if base is None or base.endswith(".Trainer"):
            continue  # a Trainer subclass's methods are called by the code that owns it, not by Lightning
        theirs = _methods(base)
        for method in methods:
            if method.name in theirs and not method.name.startswith("_") and isinstance(method, ast.FunctionDef):
                if problem := _signature_problem(method, theirs[method.name]):
                    found.append((method.lineno, f"`{cls.name}.{method.name}`: {problem}"))
        found += _read_only_writes(cls, theirs, {m.name for m in methods})
    return found


def _read_only_writes(cls: ast.ClassDef, theirs: dict[str, ast.FunctionDef], own: set[str]) -> list[tuple[int, str]]:
    """`self.current_epoch = ...` in a subclass: a property of the installed class without a setter (the last
    definition of the name is its `@property` getter) raises AttributeError when assigned."""
    read_only = {name for name, f in theirs.items() if name not in own
                 and [dotted_name(d) for d in f.decorator_list] == ["property"]}  # fmt: skip
    return [(node.lineno, f"`self.{target.attr} = ...`: a read-only property (AttributeError)") for node in ast.walk(cls) for target in _bound(node)
            if isinstance(target, ast.Attribute) and target.attr in read_only and dotted_name(target.value) == "self"]


def _bound(node: ast.AST) -> list[ast.AST]:
    """What an assignment binds (tuple targets unpacked; not `x` of `x[0] = ...` or `x.y = ...`)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
    found = []
    while targets:
        target = targets.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            targets.extend(target.elts)
        else:
            found.append(target.value if isinstance(target, ast.Starred) else target)
    return found


@cache
def _trainer_api(qualified: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(Trainer.__init__'s keywords, the attributes a Trainer has) of the installed Trainer class."""
    cls = installed_class(qualified)
    if cls is None:
        return None
    keywords: set[str] = set()
    attributes: set[str] = set()
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            attributes.add(node.name)
            if node.name == "__init__":
                if node.args.kwarg is not None:
                    return None
                keywords = {a.arg for a in [*node.args.args, *node.args.kwonlyargs]}
            attributes |= {t.attr for n in ast.walk(node) for t in _targets(n)
                           if isinstance(t, ast.Attribute) and dotted_name(t.value) == "self"}  # fmt: skip
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            attributes.add(node.target.id)
    # attributes other parts set on the trainer (`self.trainer.datamodule = None` in a connector)
    package = _module_file(qualified.split(".")[0] if qualified.startswith("pytorch_lightning") else "lightning.pytorch")
    for path in sorted(package.parent.glob("trainer/**/*.py")) if package else []:
        attributes |= {t.attr for n in ast.walk(_tree(path)) for t in _targets(n) if isinstance(t, ast.Attribute)
                       and dotted_name(t.value).split(".")[-1] == "trainer"}  # fmt: skip
    return frozenset(keywords), frozenset(attributes)


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return [n for t in node.targets for n in ast.walk(t)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target]
    return []


def _trainer_uses(output: str, tree: ast.Module, imported: dict[str, str]) -> list[tuple[int, str]]:
    """Keywords of `Trainer(...)` calls, and attributes read from a trainer (`trainer.x`, `self.trainer.x`)."""
    trainer_names = {local for local, name in imported.items() if name.endswith(".Trainer")}
    modules = {local for local, name in imported.items() if name in TOPS or name.endswith(".pytorch")}
    qualified = next((imported[n] for n in trainer_names), None) or next(
        (f"{imported[m]}.Trainer" for m in modules), None)  # fmt: skip
    api = _trainer_api(qualified) if qualified else None
    if api is None:
        return []
    keywords, attributes = api
    unknown = {a for a in re.findall(r"\btrainer\.([A-Za-z]\w*)", output) if a not in attributes}
    if not re.search(r"Trainer\s*\(", output) and not unknown:
        return []  # nothing to look for: no Trainer built here, no trainer attribute 2.x lacks
    nodes: dict[type, list] = {}
    for node in ast.walk(tree):
        nodes.setdefault(type(node), []).append(node)
    found = []
    made: dict[str, int] = {}  # variable -> how many assignments make it a 2.x Trainer (-1: any other assignment)
    for node in [*nodes.get(ast.Call, []), *nodes.get(ast.Assign, [])]:
        if isinstance(node, ast.Call):
            name = dotted_name(node.func)
            if name in trainer_names or (name.count(".") == 1 and name.split(".")[0] in modules and name.endswith(".Trainer")):
                found += [(node.lineno, f"Trainer() has no `{k.arg}` in 2.x") for k in node.keywords
                          if k.arg is not None and k.arg not in keywords]  # fmt: skip
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            is_trainer = isinstance(node.value, ast.Call) and dotted_name(node.value.func) in trainer_names | {
                f"{m}.Trainer" for m in modules}  # fmt: skip
            made[name] = made.get(name, 0) + 1 if is_trainer and made.get(name, 0) >= 0 else -1
    # a name only ever bound to Lightning's own Trainer (not a subclass, not another package's), and self.trainer
    trainers = {name for name, count in made.items() if count > 0}
    hook_reads = {id(n) for hook in _callback_hooks(nodes.get(ast.ClassDef, [])) for n in ast.walk(hook)
                  if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "trainer"}  # fmt: skip
    for node in nodes.get(ast.Attribute, []):
        if isinstance(node.ctx, ast.Load):
            owner = dotted_name(node.value)
            if (owner in trainers or owner == "self.trainer" or id(node) in hook_reads) and not node.attr.startswith("_") \
                    and node.attr not in attributes:
                found.append((node.lineno, f"a 2.x Trainer has no `{node.attr}`"))
    return found


CALLBACK_BASES = ("Callback", "Finetuning", "ProgressBar", "ProgressBarBase", "Checkpoint", "EarlyStopping")


def _callback_hooks(classes: list[ast.ClassDef]) -> list[ast.FunctionDef]:
    """Methods of Callback subclasses that take the `trainer` Lightning passes them (`on_train_start(self,
    trainer, pl_module)`): `trainer.root_gpu` there is read from a 2.x Trainer."""
    return [f for cls in classes if any(dotted_name(b).split(".")[-1].endswith(CALLBACK_BASES) for b in cls.bases)
            for f in cls.body if isinstance(f, ast.FunctionDef) and any(a.arg == "trainer" for a in f.args.args)]  # fmt: skip


def marks(source: str, output: str, report, tree: ast.Module | None = None,
          marked: dict[int, list[str]] | None = None) -> dict[int, list[str]]:  # fmt: skip
    """The TODO comment for each problem's line in `output` (none where a rule, or `marked`, marked it already);
    each reported at its line in the input."""
    found = problems(output, tree)
    if not found:
        return {}
    lines = output.splitlines(keepends=True)
    input_line = line_map(source.splitlines(), [line.rstrip("\n") for line in lines])
    by_line: dict[int, list[str]] = {}
    for line, problem in found:
        if "TODO(t2l)" in lines[line - 1] + (lines[line - 2] if line >= 2 else "") or line in (marked or {}):
            continue  # the rule that met it marked it already
        report.add("T2L960", input_line(line), problem)
        by_line.setdefault(line, []).append(problem)
    return {line: [f"# TODO(t2l): T2L960 the installed Lightning 2.x rejects this: {'; '.join(found)}"]
            for line, found in by_line.items()}
