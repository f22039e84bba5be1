"""LightningCLI in 2.x (T2L229; TODO T2L958): `save_config_overwrite=` / `save_config_filename=` /
`save_config_multifile=` became one `save_config_kwargs={...}`, and command-line strings written in the code
(`LightningCLI(args=["--trainer.gpus=1"])`, a test's `sys.argv`) name Trainer flags that 2.x removed; so do Hydra
overrides (`"trainer.gpus=0"`, `"++trainer.gpus=0"`), which are marked: the config they override changes with them."""

from __future__ import annotations

import libcst as cst

from converter.names import code
from converter.syntax import with_args
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, keyword
from converter.upgrade.imports import removed_api
from converter.upgrade.legacy import cli_flag

CODES = {
    "T2L229": "LightningCLI(save_config_*=) -> save_config_kwargs=; trainer_defaults instances -> lazy_instance; "
              "'--trainer.gpus=N' strings -> accelerator/devices",
}
CLI = frozenset({"pl.cli.LightningCLI", "pl.utilities.cli.LightningCLI"})
SAVE_CONFIG = {"save_config_overwrite": "overwrite", "save_config_filename": "config_filename",
               "save_config_multifile": "multifile"}  # fmt: skip


def upgrade_lightning_cli(up: Upgrade) -> None:
    for call in up.calls_to(CLI):
        defaults = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "trainer_defaults"), None)
        for element in defaults.elements if isinstance(defaults, cst.Dict) else []:
            _lazy_default(up, element)
        moved = [a for a in call.args if a.keyword is not None and a.keyword.value in SAVE_CONFIG]
        if not moved or any(a.keyword is not None and a.keyword.value == "save_config_kwargs" for a in call.args):
            continue
        entries = ", ".join(f'"{SAVE_CONFIG[a.keyword.value]}": {code(a.value)}' for a in moved)  # type: ignore[union-attr]
        up.edit(call, lambda updated, entries=entries: with_args(
            updated, [a for a in updated.args if a.keyword is None or a.keyword.value not in SAVE_CONFIG]
            + [keyword("save_config_kwargs", f"{{{entries}}}")]))  # fmt: skip
        up.mapped("T2L229", call, f"{', '.join(a.keyword.value for a in moved)} -> save_config_kwargs={{{entries}}}")  # type: ignore[union-attr]
    for string in up.nodes(cst.SimpleString):
        _flag_string(up, string)


def _lazy_default(up: Upgrade, element: cst.BaseDictElement) -> None:
    """`trainer_defaults={"profiler": PyTorchProfiler(...)}`: 2.x's parser cannot serialise an instance made before
    the command line is read; `lazy_instance(PyTorchProfiler, ...)` builds the same object when it is needed."""
    if not (isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
            and element.key.evaluated_value in ("profiler", "logger", "plugins") and isinstance(element.value, cst.Call)):  # fmt: skip
        return
    instance = element.value
    lazy = f"{up.require_module('jsonargparse')}.lazy_instance"  # jsonargparse's (2.x's LightningCLI is built on it)
    up.edit(instance, lambda updated: updated.with_changes(func=cst.parse_expression(lazy), args=[
        cst.Arg(updated.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if updated.args else
                cst.MaybeSentinel.DEFAULT), *updated.args]))  # fmt: skip
    up.mapped("T2L229", instance, f"trainer_defaults {code(element.key)}: {code(instance)} -> "
              f"{lazy}({code(instance.func)}, ...) (2.x builds it after parsing)")  # fmt: skip


def _flag_string(up: Upgrade, string: cst.SimpleString) -> None:
    """`"--trainer.gpus=2"` -> `"--trainer.accelerator=gpu", "--trainer.devices=2"` in a list; other removed flags marked."""
    value = string.evaluated_value
    flag, setting = cli_flag(value)
    if flag not in table.REMOVED_CLI_FLAGS:
        return
    element = up.parent(string)
    if not value.startswith("--"):  # a Hydra override: its config must hold the new keys too, so mark, never guess
        removed_api(up, string, f"{value}: the Trainer flag {flag} was removed in 2.0 ({table.REMOVED_CLI_FLAGS[flag]}); "
                    "change this override and the Trainer section of the config it overrides together")  # fmt: skip
        return
    if flag == "gpus" and setting and isinstance(element, cst.Element) and isinstance(up.parent(element), (cst.List, cst.Tuple)):
        devices = "cpu" if setting in ("0", "null", "None") else "gpu"
        new = [f'"--trainer.accelerator={devices}"'] + ([f'"--trainer.devices={setting}"'] if devices == "gpu" else [])
        up.edit(element, lambda updated, new=new: cst.FlattenSentinel(
            [updated.with_changes(value=cst.parse_expression(n), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
             for n in new[:-1]] + [updated.with_changes(value=cst.parse_expression(new[-1]))]))  # fmt: skip
        up.mapped("T2L229", string, f"{value} -> {', '.join(n.strip(chr(34)) for n in new)}")
        return
    removed_api(up, string, f"{value}: the Trainer flag {flag} was removed in 2.0 ({table.REMOVED_CLI_FLAGS[flag]})")
