"""Callback arguments renamed in 2.x: ModelCheckpoint(period= / every_n_val_epochs=) -> every_n_epochs= (T2L218);
removed ones are marked (imports.removed_api)."""

from __future__ import annotations

import libcst as cst

from converter.upgrade import table
from converter.upgrade.engine import Upgrade
from converter.upgrade.imports import removed_api

CODES = {
    "T2L218": "ModelCheckpoint(period= / every_n_val_epochs=) -> every_n_epochs=",
}


def upgrade_callbacks(up: Upgrade) -> None:
    for call in up.calls_to(table.MODEL_CHECKPOINT):
        for arg in call.args:
            if arg.keyword is None:
                continue
            old = arg.keyword.value
            if old in table.CHECKPOINT_KEYWORDS:
                new = table.CHECKPOINT_KEYWORDS[old]
                up.edit(arg, lambda updated, new=new: updated.with_changes(keyword=cst.Name(new)))
                up.mapped("T2L218", arg, f"ModelCheckpoint({old}=) -> ModelCheckpoint({new}=)")
            elif old in ("filepath", "prefix"):
                removed_api(up, arg, f"ModelCheckpoint({old}=) was removed: use dirpath= and filename=")
