"""The converter's rule codes: stable, documented, one line each.

T2L1xx: a construct `t2l convert` understood and mapped to Lightning.
T2L2xx: a Lightning 1.x construct `t2l upgrade` rewrote to the 2.x API.
T2L3xx: a construct `t2l convert --to fabric` routed through Lightning Fabric (the loop itself is kept).
T2L9xx: a construct either could not map safely (T2L90x-91x convert, T2L95x upgrade); the code is kept and
        marked with `# TODO(t2l): <code> <reason>`.
Codes are never reused or renumbered: reports, tests and users' notes refer to them.

Each rule module declares the codes it owns and their one-line meanings (`CODES`): the `t2l convert` normalizers
and rules listed in `converter/convert/registry.py`, the `--to fabric` rules in `converter/fabric/rules/__init__.py`,
the `t2l upgrade` families in `converter/upgrade/__init__.py`. This module only collects them (and the 2.x documentation each upgrade code points to).
"""

from __future__ import annotations

from functools import cache
from types import ModuleType


def _rule_modules() -> list[ModuleType]:
    from converter import upgrade
    from converter.convert.registry import DECLINES, NORMALIZERS, RULES
    from converter.fabric.rules import DECLINES as FABRIC_DECLINES
    from converter.fabric.rules import RULES as FABRIC_RULES

    return list(dict.fromkeys([*NORMALIZERS, *RULES, *DECLINES, *FABRIC_RULES, *FABRIC_DECLINES, *upgrade.FAMILY_MODULES]))


def declared() -> list[tuple[str, str, str]]:
    """(code, owning module, message) for every code every rule module declares, in module order."""
    return [(code, module.__name__, message) for module in _rule_modules() for code, message in module.CODES.items()]


# The tables, by code range. They are built on first use (PEP 562), not at import: the rule modules import the
# report, which reads these tables.
_RANGES = {
    "MAPPED": ("T2L100", "T2L199"),  # `t2l convert` understood and mapped
    "UPGRADED": ("T2L200", "T2L299"),  # `t2l upgrade` rewrote
    "FABRIC": ("T2L300", "T2L399"),  # `t2l convert --to fabric` rewrote
    "TODO": ("T2L900", "T2L949"),  # `t2l convert` kept and marked
    "UPGRADE_TODO": ("T2L950", "T2L999"),  # `t2l upgrade` kept and marked
}


@cache
def _tables() -> dict[str, object]:
    codes = sorted(declared())
    tables: dict[str, object] = {
        name: {code: message for code, _, message in codes if first <= code <= last} for name, (first, last) in _RANGES.items()
    }
    tables["ALL"] = {code: message for code, _, message in codes}
    tables["TODO_CODES"] = frozenset(tables["TODO"]) | frozenset(tables["UPGRADE_TODO"])  # type: ignore[arg-type]
    return tables


def __getattr__(name: str):
    if name in ("MAPPED", "UPGRADED", "FABRIC", "TODO", "UPGRADE_TODO", "ALL", "TODO_CODES"):
        return _tables()[name]
    raise AttributeError(name)

_DOCS = "https://lightning.ai/docs/pytorch/stable/"
_TRAINER = _DOCS + "common/trainer.html#"
# The 2.x reference each upgrade rule points to (the migration guide where the Trainer page has nothing).
REFERENCES: dict[str, str] = {
    "T2L201": _TRAINER + "devices", "T2L202": _DOCS + "accelerators/gpu_basic.html",
    "T2L203": _DOCS + "common/checkpointing_basic.html#resume-training-state", "T2L204": _TRAINER + "precision",
    "T2L205": _TRAINER + "profiler", "T2L206": _TRAINER + "strategy", "T2L207": _TRAINER + "use-distributed-sampler",
    "T2L208": _TRAINER + "enable-progress-bar", "T2L209": _TRAINER + "enable-checkpointing",
    "T2L210": _TRAINER + "enable-model-summary", "T2L212": _TRAINER + "detect-anomaly",
    "T2L213": _TRAINER + "reload-dataloaders-every-n-epochs", "T2L214": _TRAINER + "default-root-dir",
    "T2L216": _DOCS + "api/lightning.pytorch.tuner.tuning.Tuner.html",
    "T2L217": _DOCS + "api/lightning.pytorch.callbacks.GradientAccumulationScheduler.html",
    "T2L218": _DOCS + "api/lightning.pytorch.callbacks.ModelCheckpoint.html",
    "T2L220": _DOCS + "common/lightning_module.html#on-train-epoch-end",
    "T2L222": _DOCS + "model/manual_optimization.html", "T2L226": _TRAINER + "precision",
    "T2L227": _DOCS + "common/lightning_module.html#hooks",
    "T2L223": _DOCS + "cli/lightning_cli.html",
}  # fmt: skip
MIGRATION_GUIDE = _DOCS + "upgrade/migration_guide.html"


def reference(code: str) -> str | None:
    """The 2.x documentation an upgrade rule points to (None for `t2l convert` rules)."""
    if code in _tables()["UPGRADED"] or code in _tables()["UPGRADE_TODO"]:  # type: ignore[operator]
        return REFERENCES.get(code, MIGRATION_GUIDE)
    return None

