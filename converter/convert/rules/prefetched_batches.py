"""A train loader without a length whose batches draw random numbers, beside training that draws from the same RNG
(T2L930): marked, as Lightning reads such a loader one batch ahead.

    class SineStream(IterableDataset):                 for x, y in DataLoader(SineStream(48), batch_size=8):
        def __iter__(self):                                loss = mse_loss(model(x), y)   # model has Dropout
            for _ in range(self.n):
                x = torch.rand(1) * 6.28
                yield x, torch.sin(x)

Lightning cannot ask such a loader (an IterableDataset, a generator) how many batches it holds, so it fetches the
next batch before training_step runs, to know whether the current one is the last (2.x `_PrefetchDataFetcher`;
the first batch already when fit sets up). The loop drew the batch's numbers, then the step's (dropout), then the
next batch's; under Lightning the next batch's come before the step's, every draw lands elsewhere, and every loss
differs from the script's. Nothing the Trainer offers turns the prefetch off for training, so the loader is marked
with what to do: draw the data from a generator of its own (`torch.Generator()`, `random.Random()`), or keep the
loop with Lightning Fabric, which fetches when the loop asks. A map-style data set's `__getitem__` behind an iterator
without a length (`filter(keep, loader)`, a generator of the script yielding under a condition) is read ahead the same
way, and marked the same. A loader with a length (a DataLoader over a map-style
data set, a shuffle included) is not prefetched; and data that draws from another RNG than the training's
(`random` beside dropout's torch) is not affected.
"""

from __future__ import annotations

import re

import libcst as cst

from converter import torch_names
from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.rules import one_shot_loader, progress_bars
from converter.names import dotted

CODES = {"T2L930": "a train loader without a length whose batches draw from the RNG the training draws from: "
                   "Lightning reads it one batch ahead, every draw lands elsewhere"}  # fmt: skip
ITERABLE_DATASETS = {"torch.utils.data.IterableDataset", "torch.utils.data.dataset.IterableDataset"}
# the torch functions that draw (one_shot_loader.RANDOM less the seeding ones)
TORCH_DRAWS = {name for name in one_shot_loader.RANDOM if "seed" not in name and name != "set_rng_state"}
# tensor methods that fill in place from torch's RNG (`torch.empty_like(x).uniform_(0.9, 1.1)`)
TORCH_DRAWING_METHODS = {"uniform_", "normal_", "bernoulli_", "random_", "exponential_", "geometric_", "cauchy_", "log_normal_"}
DROPOUT = re.compile(r"[Dd]ropout")


def mark(conv, declined: bool = False) -> None:
    if declined:
        return
    plan = conv.plan
    loader = progress_bars.loader_of(conv, plan.batch_loop, plan.scope, report=False)
    if one_shot_loader.length_of(conv, loader) is not None:
        return  # (a generator yielding once per batch of a DataLoader goes to fit with the DataLoader's length)
    data = _unsized_data_code(plan, loader)
    # fit gets the header in an EveryEpoch, without a length (not the loader of an islice, an iter, a zip)
    datasets = _data_sets_behind(conv, loader) if conv.train_wrapper == one_shot_loader.HELPER else []
    if data is None and not datasets:
        return
    makers: list[cst.FunctionDef | cst.ClassDef] = ([data] if data is not None else []) + datasets
    data_ids = {id(n) for maker in makers for n in walk(maker)}
    own = frozenset(maker.name.value for maker in makers)  # a generator called in the loop's header is the data's
    training = _streams(plan, plan.epoch_loop or plan.batch_loop, own, skip=data_ids)
    for cls in (s for s in plan.module.body if isinstance(s, cst.ClassDef) and id(s) not in data_ids):
        training |= _streams(plan, cls, frozenset())  # a model's own draws (a VAE's randn_like)
    if DROPOUT.search(plan.index.source or ""):  # nn.Dropout, F.dropout, LSTM(dropout=...)
        training.add("torch")
    for maker in makers:
        cls = maker if isinstance(maker, cst.ClassDef) else None
        shared = training & set().union(*(_streams(plan, part, own, cls=cls) for part in _per_batch(maker)))
        if not shared:
            continue
        kind = " and ".join(sorted(f"{stream}'s" for stream in shared))
        # marked where the data is made (the generator, or the data set that draws): the loop is gone, and this is
        # what to change
        conv.todo("T2L930", maker, f"`{maker.name.value}` makes the batches of `{dotted(loader) or _short(loader)}` "
                  f"drawing from {kind} RNG, as the training does, and Lightning reads a loader without a length one "
                  "batch ahead (before training_step): every draw lands elsewhere and the losses differ from the "
                  "script's; give the data a generator of its own (torch.Generator(), random.Random()) or keep the "
                  "loop with --to fabric")  # fmt: skip
        return


def _data_sets_behind(conv, loader: cst.BaseExpression) -> list[cst.ClassDef]:
    """The map-style data set classes of the script behind the DataLoaders a one-shot iterator without a length
    reads (`filter(keep, loader)`, `(b for b in loader if ...)`, a generator function given the loader): their
    `__getitem__` runs for each sample of a batch Lightning fetches ahead."""
    plan = conv.plan
    parts: list[cst.BaseExpression] = []
    if isinstance(loader, cst.GeneratorExp):
        parts.append(loader.for_in.iter)
    elif isinstance(loader, cst.Call):
        function = _script_definition(plan, loader)
        given = planning.bind(function, loader) if isinstance(function, cst.FunctionDef) else {}
        parts += list(given.values()) if given else [a.value for a in loader.args]
    found: list[cst.ClassDef] = []
    for part in parts:
        for call in one_shot_loader.building_calls(conv, part) if one_shot_loader.a_data_loader(conv, part) else []:
            cls = _data_set_class(plan, call)
            if cls is not None and _method(cls, "__getitem__") is not None and cls not in found:
                found.append(cls)
    return found


def _short(node: cst.CSTNode) -> str:
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _unsized_data_code(plan, loader: cst.BaseExpression) -> cst.CSTNode | None:
    """The code that makes the batches of a loader without a length: a generator function of the script (called
    in the loop's header, or assigned to the name iterated), or the class of an IterableDataset a DataLoader reads."""
    calls = planning.assigned_calls(plan.module, index=plan.index)
    if isinstance(loader, cst.Name) and len(calls.get(loader.value, [])) == 1:
        loader = calls[loader.value][0]
    if not isinstance(loader, cst.Call):
        return None
    function = _script_definition(plan, loader)
    if isinstance(function, cst.FunctionDef) and any(isinstance(n, cst.Yield) for n in walk(function.body)):
        return function
    if plan.imports.call_name(loader) not in torch_names.DATALOADERS:
        return None
    cls = _data_set_class(plan, loader)
    if cls is not None and any(plan.imports.qualified(b.value) in ITERABLE_DATASETS for b in cls.bases):
        return cls
    return None


def _data_set_class(plan, data_loader: cst.Call) -> cst.ClassDef | None:
    """The script's class of the data set a DataLoader call reads (`DataLoader(Noisy(64), ...)`, or a name bound once
    to such a call), else None."""
    dataset = data_loader.args[0].value if data_loader.args else None
    calls = planning.assigned_calls(plan.module, index=plan.index)
    if isinstance(dataset, cst.Name) and len(calls.get(dataset.value, [])) == 1:
        dataset = calls[dataset.value][0]
    cls = _script_definition(plan, dataset) if isinstance(dataset, cst.Call) else None
    return cls if isinstance(cls, cst.ClassDef) else None


def _per_batch(data: cst.FunctionDef | cst.ClassDef) -> list[cst.CSTNode]:
    """The code that runs for each item the data yields: the loops around its `yield`s (a draw before the first, as
    `order = torch.randperm(n)` is, runs when the epoch's first batch is fetched: in the order the loop drew it),
    and a `__next__` or a map-style data set's `__getitem__`."""
    functions = [data] if isinstance(data, cst.FunctionDef) else [
        s for s in data.body.body if isinstance(s, cst.FunctionDef) and s.name.value in ("__iter__", "__next__", "__getitem__")]
    found: list[cst.CSTNode] = []
    for function in functions:
        if function.name.value in ("__next__", "__getitem__"):
            found.append(function.body)
            continue
        found += [n.body for n in walk(function.body) if isinstance(n, (cst.For, cst.While))
                  and any(isinstance(y, cst.Yield) for y in walk(n.body))]  # fmt: skip
    return found


def _script_definition(plan, call: cst.Call) -> cst.FunctionDef | cst.ClassDef | None:
    name = call.func.value if isinstance(call.func, cst.Name) else None
    return next((s for s in plan.module.body if isinstance(s, (cst.FunctionDef, cst.ClassDef)) and s.name.value == name), None)


def _streams(plan, node: cst.CSTNode, seen: frozenset[str], skip: set[int] = frozenset(),  # type: ignore[assignment]
             cls: cst.ClassDef | None = None) -> set[str]:  # fmt: skip
    """The global RNGs (torch, random, numpy) the code draws from, directly or in the script's functions it calls
    (and in the methods of `cls` it calls on self)."""
    found: set[str] = set()
    for call in (c for c in walk(node) if isinstance(c, cst.Call) and id(c) not in skip):
        if any(a.keyword is not None and a.keyword.value == "generator" for a in call.args):
            continue  # `torch.rand(1, generator=g)`: a generator of its own
        name = plan.imports.call_name(call) or ""
        if (name.startswith("torch.") and name.rsplit(".", 1)[-1] in TORCH_DRAWS) or (
                isinstance(call.func, cst.Attribute) and call.func.attr.value in TORCH_DRAWING_METHODS):  # fmt: skip
            found.add("torch")
        elif name.startswith("random.") and name not in ("random.Random", "random.seed"):
            found.add("random")
        elif name.startswith("numpy.random.") and name.rsplit(".", 1)[-1] not in ("default_rng", "RandomState", "seed"):
            found.add("numpy")
        if cls is not None and isinstance(call.func, cst.Attribute) and dotted(call.func.value) == "self":
            function = _method(cls, call.func.attr.value)  # `self.sample()` in the data's __iter__
        else:
            function = _script_definition(plan, call)
        if isinstance(function, cst.FunctionDef) and function.name.value not in seen:
            found |= _streams(plan, function.body, seen | {function.name.value}, skip, cls)
    return found


def _method(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    return next((s for s in cls.body.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None)
