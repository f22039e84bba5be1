"""`t2l convert --to fabric`: keep the training loop, let Lightning Fabric do devices, precision and processes.

The LightningModule route moves a loop into hooks and declines the loops that do not fit (RL episodes,
`while True` step loops, parameters updated by hand, models trained side by side...). Fabric takes any loop as
it is: the rules in `rules/` (one module per concern, each owning its T2L3xx / T2L94x codes) make the Fabric
object where the script chooses its device, set up each model with its optimizer and each DataLoader, and route
`backward` and gradient clipping through Fabric. Everything else stays as written.
"""

from __future__ import annotations

import re

import libcst as cst

from converter.analysis import check_parses
from converter.convert.driver import LIGHTNING_BASES, LIGHTNING_IMPORT
from converter.fabric.rules import DECLINES, RULES
from converter.fabric.script import Script
from converter.files import one_file, parse
from converter.names import is_docstring
from converter.report import ALREADY_LIGHTNING, CONVERTED, CONVERTED_WITH_TODOS, DECLINED, NO_LOOP, Report

__all__ = ["DECLINES", "RULES", "convert_to_fabric"]
FABRIC_IMPORT = re.compile(r"^\s*(import|from)\s+(lightning_fabric|lightning\.fabric|lightning)\b", re.M)


@one_file
def convert_to_fabric(source: str, path: str = "<string>") -> tuple[str | None, Report]:
    report = Report(path)
    module = parse(source, path)
    if (LIGHTNING_IMPORT.search(source) and LIGHTNING_BASES.search(source)) or (
            FABRIC_IMPORT.search(source) and "Fabric(" in source):  # fmt: skip
        report.status = ALREADY_LIGHTNING
        return None, report
    if ".backward(" not in source:
        report.status = NO_LOOP
        return None, report
    script = Script(module, source, report)
    for check in DECLINES:
        if (marked := check.declined(script)) is not None:
            report.status = DECLINED
            return marked, report
    for rule in RULES:
        rule.apply(script)
    if _needs_global(script):
        _declare_global(script)
    output = script.output()
    check_parses(output, path)
    report.status = CONVERTED_WITH_TODOS if report.todos else CONVERTED
    return output, report


def _needs_global(script: Script) -> bool:
    """Fabric made inside a function and called from another one: that function declares it global."""
    created = script.creation.scope if script.creation else None
    return isinstance(created, cst.FunctionDef) and any(
        script.scope_of(statement) is not created for statement in script.used_in)


def _declare_global(script: Script) -> None:
    """`global fabric` at the top of the function that makes it, for the functions that call it later."""
    function = script.creation.scope
    assert isinstance(function, cst.FunctionDef)
    declaration = cst.SimpleStatementLine([cst.Global([cst.NameItem(cst.Name(script.name))])])

    def declare(updated: cst.FunctionDef) -> cst.FunctionDef:
        body = list(updated.body.body)
        at = 1 if body and is_docstring(body[0]) else 0
        return updated.with_changes(body=updated.body.with_changes(body=[*body[:at], declaration, *body[at:]]))

    script.replace(function, declare)
