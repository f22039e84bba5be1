"""Conversions run side by side in threads give what they give one at a time.

The site's build converts in two threads. The converter's per-file caches (each node's children, its names) are
keyed by node ids and forgotten when a file is done; once they were module globals, and a conversion that forgot
them between another's lookup and its `move_to_end` raised a KeyError (seen once, in a clean-clone CI run). They are
now each thread's own, and the garbage collector, paused for a conversion, comes back when the last one ends.
"""

from __future__ import annotations

import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from converter import names
from converter.convert import convert_source, driver
from converter.fabric import convert_to_fabric
from converter.upgrade import upgrade_source

HERE = Path(__file__).parent
ROUTES = {
    "lightning": (convert_source, sorted((HERE / "fixtures").glob("*.in.py"))[::4]),
    "fabric": (convert_to_fabric, sorted((HERE / "fabric_fixtures").glob("*.in.py"))[::5]),
    "upgrade": (upgrade_source, sorted((HERE / "upgrade_fixtures").glob("*.in.py"))[::6]),
}
JOBS = [(route, path) for route, (_, paths) in ROUTES.items() for path in paths]


def _convert(job: tuple[str, Path]) -> str:
    route, path = job
    output, report = ROUTES[route][0](path.read_text(encoding="utf-8"), path.name)
    return f"{output}\n{report.status}\n" + "\n".join(str(finding) for finding in report.findings)


def test_four_threads_convert_as_one_does():
    one_at_a_time = [_convert(job) for job in JOBS]
    # Each thread starts at a different place in the list, so different files' conversions overlap.
    shifted = [JOBS[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        side_by_side = list(pool.map(lambda jobs: [_convert(job) for job in jobs], shifted))
    for i, outputs in enumerate(side_by_side):
        assert outputs == one_at_a_time[i::4]
    assert gc.isenabled()


def test_a_conversion_beside_one_held_midway(monkeypatch):
    """Thread A stops just before its output's parse check; thread B converts a whole file meanwhile. B's caches
    are its own (filled during its conversion, empty after), A's are untouched by B's forgetting them, and the
    collector stays paused until A, the last conversion, ends."""
    first, second = JOBS[0], JOBS[1]
    expected = {job: _convert(job) for job in (first, second)}
    held, release = threading.Event(), threading.Event()
    check_parses = driver.check_parses
    seen: dict[str, object] = {}

    def hold_once(output: str, path: str) -> None:
        if threading.current_thread().name == "A" and not held.is_set():
            seen["A caches"] = len(names._caches.uses)
            held.set()
            release.wait(60)
            seen["A caches after B"] = len(names._caches.uses)
        check_parses(output, path)

    monkeypatch.setattr(driver, "check_parses", hold_once)
    results: dict[str, str] = {}
    a = threading.Thread(target=lambda: results.__setitem__("A", _convert(first)), name="A")
    a.start()
    assert held.wait(60)

    def in_b() -> None:
        results["B"] = _convert(second)
        seen["B caches after"] = len(names._caches.uses)
        seen["collector during A"] = gc.isenabled()

    b = threading.Thread(target=in_b, name="B")
    b.start()
    b.join(60)
    release.set()
    a.join(60)
    assert results == {"A": expected[first], "B": expected[second]}
    assert seen["A caches"] > 0 and seen["A caches after B"] == seen["A caches"]
    assert seen["B caches after"] == 0
    assert seen["collector during A"] is False
    assert gc.isenabled()
