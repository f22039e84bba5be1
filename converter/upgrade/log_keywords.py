"""`self.log(...)` / `self.log_dict(...)` keywords 1.x took and 2.x's signature has not: a TypeError at the first
call, after a clean upgrade.

- `tbptt_reduce_fx=`, `tbptt_pad_token=` (no-ops since 1.5, with truncated BPTT gone) and `sync_dist_op="mean"`
  (the op across processes; 2.x's `sync_dist=True` reduces by the mean) are dropped (T2L243).
- `sync_dist_op=` any other op is marked: 2.x cannot choose it (T2L970).
"""

from __future__ import annotations

import libcst as cst

from converter.names import code, dotted
from converter.syntax import without_args
from converter.upgrade.engine import Upgrade, literal

CODES = {
    "T2L243": "self.log(tbptt_reduce_fx= / tbptt_pad_token= / sync_dist_op=\"mean\") dropped (2.x has none of them)",
    "T2L970": "self.log(sync_dist_op=<not mean>): 2.x reduces across processes by the mean only: marked",
}
DROPPED = {"tbptt_reduce_fx": "a no-op since 1.5", "tbptt_pad_token": "a no-op since 1.5"}


def upgrade_log_keywords(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        for call in up.nodes(cst.Call, cls):
            if not (isinstance(call.func, cst.Attribute) and call.func.attr.value in ("log", "log_dict")
                    and dotted(call.func.value) == "self"):  # fmt: skip
                continue
            dropped = []
            for arg in call.args:
                name = arg.keyword.value if arg.keyword is not None else None
                if name in DROPPED:
                    dropped.append((arg, f"{name}= dropped: {DROPPED[name]}"))
                elif name == "sync_dist_op" and str(literal(arg.value)).lower() in ("mean", "avg"):
                    dropped.append((arg, "sync_dist_op=\"mean\" dropped: 2.x's sync_dist=True reduces by the mean"))
                elif name == "sync_dist_op":
                    up.todo("T2L970", arg, f"self.{call.func.attr.value}(sync_dist_op={code(arg.value)}): 2.x has no "
                            "sync_dist_op and reduces across processes by the mean; reduce by hand with "
                            "self.all_gather(...) before logging if the op matters")  # fmt: skip
            if not dropped:
                continue
            gone = [a for a, _ in dropped]

            up.edit(call, lambda updated, gone=gone: without_args(updated, gone))
            for arg, message in dropped:
                up.mapped("T2L243", arg, message)
