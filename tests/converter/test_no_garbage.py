"""A conversion leaves nothing for Python's cyclic garbage collector: its trees are freed when it returns.

`files.one_file` runs each conversion with the collector paused (it spent a fifth of a conversion walking live
libcst trees). That is only sound while the converter makes no reference cycles: a closure that calls itself or an
object linked back to its owner would keep a whole file's trees alive until a later collection walks them all. The
control makes one such cycle and shows the check sees it.
"""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path

import libcst as cst
import pytest

from converter import names
from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from converter.upgrade import upgrade_source

HERE = Path(__file__).parent
INPUTS = {
    "lightning": (convert_source, sorted((HERE / "fixtures").glob("*.in.py"))[::3]),
    "fabric": (convert_to_fabric, sorted((HERE / "fabric_fixtures").glob("*.in.py"))[::4]),
    "upgrade": (upgrade_source, sorted((HERE / "upgrade_fixtures").glob("*.in.py"))[::6]),
}


def _cyclic_garbage(run) -> list[object]:
    """What the collector would have to find after `run()`: the objects in unreachable reference cycles. What
    lived before is frozen (left out of collections): in a test worker that has imported torch and Lightning, each
    full collection walked millions of objects, and the test took a minute. (Garbage made before `run()` is frozen
    with the rest: not `run()`'s.)"""
    gc.freeze()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.unfreeze()


def _ours(garbage: list[object]) -> list[str]:
    """Cyclic garbage that holds libcst nodes or the converter's own objects (the standard library's
    `ast.literal_eval` leaves a few small closures of its own: not counted)."""
    return sorted({type(o).__qualname__ for o in garbage
                   if isinstance(o, cst.CSTNode) or type(o).__module__.startswith("converter")})  # fmt: skip


@pytest.mark.parametrize("route", INPUTS)
def test_a_conversion_leaves_no_cycles(route):
    convert, inputs = INPUTS[route]
    assert inputs
    for path in inputs:
        source = path.read_text(encoding="utf-8")
        assert _ours(_cyclic_garbage(partial(convert, source, str(path)))) == [], path.name
        assert gc.isenabled()  # the collector is back after the conversion
        assert not names._caches.uses and not names._caches.loads  # the name caches forgot the file's nodes


def test_control_a_recursive_closure_over_a_tree_is_seen():
    def leaky() -> None:
        tree = cst.parse_module("x = 1\n")

        def visit(node: cst.CSTNode) -> cst.CSTNode:  # calls itself: a cycle through its own cell, holding `tree`
            return node if node is tree else visit(tree)

        visit(tree)

    assert "Module" in _ours(_cyclic_garbage(leaky)), "the check sees no libcst node in a cycle that holds one"
