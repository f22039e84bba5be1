"""One page per pair: its sides next to each other section by section, and its real check run at build time.

The code is read from the pair's files; the table and the loss curves come from `t2l check PAIR --json --plot`,
run when the site is built, CI-sized: at most SITE_EPOCHS epochs (a quick build: one epoch of 20 steps). The page
says how many ran; `t2l check PAIR` runs the pair's own number.
"""

from __future__ import annotations

import html
import itertools
import json
import subprocess
import sys
from pathlib import Path

from pairs.harness import registry
from pairs.harness.show import kept_and_changed, sections
from pairs.site.build import Job, Site
from pairs.site.myst import WIDE, demote_headings, raw_html
from pairs.site.sidebyside import Side, side_by_side

SITE_EPOCHS = 2  # seq2seq's 6 and the GAN's 15 would add a minute to the build for the same proof


def _check_dir(site: Site, pair: str) -> Path:
    return site.runs / "checks" / pair


def _check(site: Site, pair: str) -> dict:
    """`t2l check PAIR` in its own process, as a user runs it; its JSON and plot land in runs/checks/PAIR/."""
    where = _check_dir(site, pair)
    where.mkdir(parents=True, exist_ok=True)
    epochs = min(registry.get(pair).spec.EPOCHS, SITE_EPOCHS)
    size = ["--epochs", "1", "--max-steps", "20"] if site.quick else ["--epochs", str(epochs)]
    command = [sys.executable, "-m", "pairs.harness.cli", "check", pair,
               "--json", "check.json", "--plot", "curves.png", "--root-dir", "runs", *size]  # fmt: skip
    result = subprocess.run(command, cwd=where, capture_output=True, text=True)
    if result.returncode not in (0, 1):  # 1: a difference, which the page shows rather than hides
        raise RuntimeError(f"t2l check {pair} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return json.loads((where / "check.json").read_text())


def _pairs(site: Site) -> list[registry.Pair]:
    return [pair for pair in registry.PAIRS.values() if site.wanted(pair.name)]


def names() -> list[str]:
    return list(registry.PAIRS)


def jobs(site: Site) -> list[Job]:
    return [Job(f"check:{p.name}", f"t2l check {p.name}", lambda p=p: _check(site, p.name), weight=30) for p in _pairs(site)]


def _number(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g}"


def check_table(result: dict) -> str:
    """The bitwise table: every series each side recorded, compared value by value with the reference side."""
    reference, others = result["reference"], [s for s in result["sides"] if s != result["reference"]]
    compared = result["compared_with_reference"]
    head = f"| series | values | {' | '.join(f'identical, {side}' for side in others)} | max abs diff |"
    rows = [head, "|" + "---|" * (3 + len(others))]
    names = [series["name"] for series in compared[others[0]]["series"]] if others else []
    for index, name in enumerate(names):
        entries = [compared[side]["series"][index] for side in others]
        worst = max(entry["max_abs_diff"] for entry in entries)
        rows.append(f"| `{name}` | {entries[0]['compared']} | {' | '.join(str(e['identical']) for e in entries)} | "
                    f"{_number(worst)} |")  # fmt: skip
    weights = [compared[side]["weights"] for side in others]
    if weights:
        rows.append(f"| final weights (tensors) | {weights[0]['tensors']} | "
                    f"{' | '.join(str(w['identical']) for w in weights)} | {_number(max(w['max_abs_diff'] for w in weights))} |")  # fmt: skip
    verdict = "**bitwise equal**" if result["bitwise_equal"] else "**DIFFERENT**"
    seconds = ", ".join(f"{side} {result['seconds'][side]:.2f} s" for side in result["sides"])
    return (f"{verdict}: every value of every side against `{reference}`, {result['steps_compared']} training steps "
            f"compared over {result['epochs']} epoch(s). Wall time per side (run side by side): {seconds}.\n\n"
            + "\n".join(rows) + "\n")  # fmt: skip


def comparisons(pair: registry.Pair) -> list[tuple[str, str]]:
    present = [side for side in registry.SIDES if pair.source(side).exists()]
    return list(itertools.combinations(present, 2))


def tabs(group: str, labels: list[str], panels: list[str]) -> str:
    """CSS-only tabs (radio buttons): no script needed, the first tab open."""
    parts = ['<div class="t2l-tabs">']
    for index, label in enumerate(labels):
        checked = " checked" if index == 0 else ""
        parts.append(f'<input type="radio" name="{group}" id="{group}-{index}"{checked}>'
                     f'<label for="{group}-{index}">{html.escape(label)}</label>')  # fmt: skip
    parts += [f'<div class="t2l-panel">{panel}</div>' for panel in panels]
    parts.append("</div>")
    return "".join(parts)


def compared_sections(pair: registry.Pair, left: str, right: str) -> str:
    """Both sides split at their section markers, each section a side-by-side grid under its name."""
    by_side = {side: {s.name: s for s in sections(pair.source(side))} for side in (left, right)}
    names = list(dict.fromkeys([*by_side[left], *by_side[right]]))
    parts = []
    for name in names:
        sides = []
        for side in (left, right):
            section = by_side[side].get(name)
            code, first = (section.code, section.first_line) if section else ("", 1)
            sides.append(Side(f"{side}.py", code, first))
        grid, differing = side_by_side(*sides)
        note = "identical" if not differing else f"{differing} lines differ"
        parts.append(f'<div class="section-name">{html.escape(name)} <span class="note">{note}</span></div>{grid}')
    return "".join(parts)


def page(pair: registry.Pair, result: dict, plot: str) -> str:
    labels, panels = [], []
    for left, right in comparisons(pair):
        kept, total, changed = kept_and_changed(pair.source(left), pair.source(right))
        labels.append(f"{left} | {right} ({changed} lines differ)")
        panels.append(f'<p class="tab-note">{right}.py keeps {kept} of {left}.py\'s {total} lines unchanged; '
                      f"<code>diff</code> lists {changed}.</p>" + compared_sections(pair, left, right))  # fmt: skip
    readme = pair.source("plain").with_name("README.md")
    notes = demote_headings(readme.read_text()) if readme.exists() else ""
    return (f"{WIDE}# {pair.name}\n\n{pair.summary}.\n\n"
            f"## The sides, section by section\n\nEach side is a runnable script (`python -m pairs.{pair.name}.plain`, "
            "`.fabric`, `.lightning`); the lines that differ are marked, equal lines stay level.\n\n"
            + raw_html(tabs(f"{pair.name}-sides", labels, panels))
            + f"\n## The check, run when this site was built\n\n`t2l check {pair.name}`: the sides ran in separate "
            f"processes and each recorded every loss it handed to `backward()`, every gradient norm, every "
            f"validation batch and its final weights.\n\n{check_table(result)}\n"
            f"![The sides' loss curves, overlaid]({plot})\n\n## What equality needed (the pair's README)\n\n"
            + notes)  # fmt: skip


def write(site: Site, results: dict) -> str:
    """The pair pages and their index; returns the home page's section."""
    directory = site.source / "pairs"
    directory.mkdir(parents=True, exist_ok=True)
    pairs = _pairs(site)
    for pair in pairs:
        plot = f"{pair.name}-curves.png"
        (directory / plot).write_bytes((_check_dir(site, pair.name) / "curves.png").read_bytes())
        (directory / f"{pair.name}.md").write_text(page(pair, results[f"check:{pair.name}"], plot))
    def rows(prefix: str) -> str:
        return "\n".join(f"| [{p.name}]({prefix}{p.name}.md) | {p.summary} | {_verdict(results[f'check:{p.name}'])} |"
                         for p in pairs)  # fmt: skip

    head = "| pair | what it shows | check, run when this site was built |\n|---|---|---|\n"
    toctree = "\n".join(p.name for p in pairs)
    (directory / "index.md").write_text(
        "# The pairs\n\nThe same model trained by a plain PyTorch loop, by Lightning Fabric and by a LightningModule "
        "with the Trainer. Each page puts the sides next to each other and shows the check that ran when this site "
        f"was built.\n\n{head}{rows('')}\n\n```{{toctree}}\n:hidden:\n{toctree}\n```\n"
    )
    return ("## [The pairs](pairs/index.md)\n\nEach pair's sides next to each other, section by section, the lines "
            f"that differ marked, and the check that proves they compute the same losses.\n\n{head}{rows('pairs/')}")  # fmt: skip


def _verdict(result: dict) -> str:
    equal = "bitwise equal" if result["bitwise_equal"] else "**DIFFERENT**"
    return f"{equal}: {len(result['sides'])} sides, {result['steps_compared']} steps"
