"""A hook of the LightningModule being built: its name, parameters, and body in the names of its source scope."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.convert import plan as planning


@dataclass
class Hook:
    name: str
    params: list[str]
    body: list[cst.BaseStatement]
    source: planning.Scope | None  # scope the body's names come from
    binding: dict[str, cst.BaseExpression] = field(default_factory=dict)  # the train function's parameters
