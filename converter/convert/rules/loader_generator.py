"""A training DataLoader that shuffles with a generator of the script's: `DataLoader(ds, shuffle=True, generator=g)`
(the reproducibility recipe of PyTorch's notes), or a `RandomSampler(ds, generator=g)`.

The loop runs each epoch's loader to its end: the `next()` that finds it empty runs the rest of RandomSampler's
`__iter__`, whose last line draws one more permutation from `g` (`randperm(n)[:num_samples % n]`, drawn even when
empty). Lightning knows the loader's length and never asks past it, so that draw never happens and from the second
epoch on every shuffle is another one (a clean exit; `--verify` equal for the first epoch's losses, then not). fit gets
`ReadToItsEnd(loader)`, the same length, which asks for the loader's end with its last batch (T2L178): the draw comes
before the epoch's last step instead of after it, which only a step that draws from `g` itself would tell. Not an
EveryEpoch (no length): Lightning reads such a loader a batch ahead, and a data set that draws from torch's RNG
(a random crop) beside dropout would draw in another order. Without `generator=` the sampler makes a private
generator each epoch and nothing is lost; with workers (`num_workers=2`) the loader fetches indices ahead and runs
the sampler to its end before the last batch.
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.convert.rules import one_shot_loader
from converter.names import code, dotted

CODES = {
    "T2L178": "a DataLoader shuffled by a generator of the script's -> ReadToItsEnd(loader): read to its end, where "
              "the sampler draws from the generator once more",
}
HELPER = '''class ReadToItsEnd:
    """The loader, asked for its end with its last batch each epoch, as a loop over it does: its sampler draws from
    its generator once more there (Lightning, at the loader's length, would stop a batch short of that)."""

    def __init__(self, loader):
        self.loader = loader

    def __len__(self):
        return len(self.loader)

    def __iter__(self):  # a generator: the loader starts at the first batch asked for
        batches = iter(self.loader)
        for i, batch in enumerate(batches):
            if i == len(self.loader) - 1:
                next(batches, None)  # the end: the sampler's last draw
            yield batch
'''


def drawn_to_its_end(conv, loader: cst.BaseExpression) -> cst.BaseExpression | None:
    """`ReadToItsEnd(loader)` for a loader that shuffles with the script's generator; None for any other."""
    plan = conv.plan
    calls = one_shot_loader.building_calls(conv, loader)
    if not calls or not all(_shuffled_by_its_generator(plan, c) for c in calls):
        return None
    conv.report.add("T2L178", plan.line(plan.batch_loop), f"`{code(loader)}` shuffles with the script's generator, and "
                    "the loop ran it to its end, where the sampler draws from that generator once more: fit gets "
                    "ReadToItsEnd(...), which asks for that end with the last batch (Lightning stops at the loader's "
                    "length, a batch short of it, and every epoch after the first would shuffle otherwise)")  # fmt: skip
    return cst.parse_expression(f"ReadToItsEnd({code(loader)})")


def _shuffled_by_its_generator(plan, call: cst.Call) -> bool:
    if plan.imports.call_name(call) not in torch_names.DATALOADERS:
        return False
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    workers = keywords.get("num_workers")
    if isinstance(workers, cst.Integer) and workers.evaluated_value > 0:
        return False  # workers' index prefetching runs the sampler to its end before the epoch's last batch anyway
    if "sampler" in keywords:
        sampler = keywords["sampler"]
        return (isinstance(sampler, cst.Call) and plan.imports.call_name(sampler) in RANDOM_SAMPLERS
                and _given(sampler, "generator"))  # fmt: skip
    shuffled = "shuffle" in keywords and dotted(keywords["shuffle"]) not in ("False", "None")
    return shuffled and _given(call, "generator")


RANDOM_SAMPLERS = ("torch.utils.data.RandomSampler", "torch.utils.data.sampler.RandomSampler")


def _given(call: cst.Call, keyword: str) -> bool:
    return any(a.keyword is not None and a.keyword.value == keyword and dotted(a.value) != "None" for a in call.args)
