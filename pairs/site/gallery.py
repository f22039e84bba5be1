"""The converter gallery: every whole-script fixture before and after, converted when the site is built.

`t2l convert` fixtures (tests/converter/fixtures, written in the shapes of public training scripts, and the shapes
only the Fabric route takes) get one page with a tab per target (LightningModule, Fabric): the report, each line
linked to the input line it is about, and the `--verify` verdict of running both scripts. `t2l upgrade` fixtures
get one page each with the verdict of running the upgraded script on the installed Lightning 2.x.

What runs by default: `--verify` of every LightningModule conversion the test suite verifies and of every Fabric
conversion of a loop the LightningModule route declines; `--verify-all` adds the Fabric conversions of the rest
(the slow test suite verifies them all). The fixtures live in the repository's tests/, so the gallery is built
from a source checkout.
"""

from __future__ import annotations

import html
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from converter.convert import convert_source
from converter.fabric import convert_to_fabric
from converter.report import DECLINED, Report
from converter.upgrade import upgrade_source
from converter.verify import verify
from pairs.site.build import REPO, Job, Site
from pairs.site.myst import WIDE, raw_html
from pairs.site.pair_pages import tabs
from pairs.site.sidebyside import Side, side_by_side

TESTS = REPO / "tests"
CONVERT_DIRS = (TESTS / "converter" / "fixtures", TESTS / "converter" / "fabric_fixtures")
UPGRADE_DIR = TESTS / "converter" / "upgrade_fixtures"
STAND_INS = TESTS / "stand_ins"  # a test-only torchvision: scripts that import it run offline
TARGETS = {"lightning": ("LightningModule", convert_source), "fabric": ("Fabric", convert_to_fabric)}


def _fixtures(directory: Path):
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: the gallery shows the repository's fixtures; build from a source checkout")
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tests.converter.fixtures import discover

    return discover(directory)


def convert_fixtures(site: Site):
    return [f for directory in CONVERT_DIRS for f in _fixtures(directory) if site.wanted(f.name)]


def upgrade_pages(site: Site) -> list[str]:
    return [f.name for f in _fixtures(UPGRADE_DIR) if site.wanted(f.name)]


@dataclass
class Conversion:
    target: str
    source: str
    output: str | None
    report: Report
    verdict: str = "not verified in this build (`t2l site build --verify-all`; the slow tests verify it)"
    equal: bool | None = None  # None: not run


@dataclass
class Entry:
    name: str
    input: Path
    conversions: list[Conversion] = field(default_factory=list)


def _verdict(fixture, conversion: Conversion, workdir: Path, run: bool) -> None:
    """The `--verify` verdict: the one the fixture tests left (T2L_VERIFY_CACHE, see tests/converter/fixtures.py),
    else, when `run`, a run of both scripts here."""
    from tests.converter.fixtures import recalled, verify_key

    steps, torchrun = fixture.steps or 10, fixture.torchrun if conversion.target == "fabric" else 0
    result = recalled(verify_key(fixture.input, conversion.output or "", list(fixture.args), steps, torchrun))
    if result is None and not run:
        return
    if result is None:
        converted = workdir / f"{fixture.name}_{conversion.target}.py"
        converted.write_text(conversion.output or "")
        result = verify(fixture.input, converted, list(fixture.args), steps=steps, cwd=workdir,
                        extra_env={"PYTHONPATH": str(STAND_INS)}, torchrun=torchrun)  # fmt: skip
    conversion.equal = result.bitwise_equal
    if result.failed:
        conversion.verdict = f"could not be compared: {result.failed}"
    elif result.bitwise_equal:
        conversion.verdict = f"`--verify`: bitwise equal, {result.compared} losses compared"
    else:
        conversion.verdict = (f"`--verify`: DIFFERENT at loss {result.first_difference} "
                              f"(max abs diff {result.max_abs_diff:.3g})")  # fmt: skip


def _convert(site: Site, fixture) -> Entry:
    source = fixture.input.read_text()
    entry = Entry(fixture.name, fixture.input)
    workdir = site.runs / "gallery" / fixture.name
    workdir.mkdir(parents=True, exist_ok=True)
    declined = False
    for target, (_, transform) in TARGETS.items():
        output, report = transform(source, fixture.input.name)
        conversion = Conversion(target, source, output, report)
        entry.conversions.append(conversion)
        if report.status == DECLINED or output is None:
            declined = declined or target == "lightning"
            conversion.verdict = "nothing to verify: no script was made"
            continue
        wanted = fixture.mode == "verify" if target == "lightning" else (declined or site.verify_all or
                                                                        fixture.input.parent == CONVERT_DIRS[1])  # fmt: skip
        _verdict(fixture, conversion, workdir, run=wanted)
    return entry


def _upgrade(site: Site, fixture) -> Entry:
    from tests.converter.fixtures import recalled, run_key
    from tests.converter.run_upgraded import run

    source = fixture.input.read_text()
    to = fixture.options[fixture.options.index("--to") + 1] if "--to" in fixture.options else None
    output, report = upgrade_source(source, fixture.input.name, to)
    conversion = Conversion("upgrade", source, output, report)
    if fixture.mode == "run" and output is not None:
        result = recalled(run_key(output, list(fixture.args)))  # the run the fixture test made (T2L_VERIFY_CACHE)
        if result is None:
            with tempfile.TemporaryDirectory(prefix="t2l-site-") as scratch:
                script = Path(scratch) / fixture.input.name.replace(".in.py", ".py")
                script.write_text(output)
                result = run(script, list(fixture.args), Path(scratch))
        conversion.equal = result.returncode == 0 and "t2l-run: finished" in result.stdout
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        conversion.verdict = "runs to the end on the installed Lightning 2.x" if conversion.equal else f"FAILED on 2.x: {last}"
    else:
        conversion.verdict = "already 2.x code: left as it is" if output is None else "not run (an unchanged fixture)"
    return Entry(fixture.name, fixture.input, [conversion])


def names() -> list[str]:
    return [f.name for directory in (*CONVERT_DIRS, UPGRADE_DIR) for f in _fixtures(directory)]


def jobs(site: Site) -> list[Job]:
    found = [Job(f"convert:{f.name}", f"convert {f.name}", lambda f=f: _convert(site, f), weight=6) for f in convert_fixtures(site)]
    found += [Job(f"upgrade:{f.name}", f"upgrade {f.name}", lambda f=f: _upgrade(site, f), weight=4)
              for f in _fixtures(UPGRADE_DIR) if site.wanted(f.name)]  # fmt: skip
    return found


def _first_paragraph(source: str) -> str:
    """The fixture's docstring's first paragraph: what shape of script it is."""
    import ast

    try:
        doc = ast.get_docstring(ast.parse(source)) or ""
    except SyntaxError:
        doc = ""
    return " ".join(doc.split("\n\n")[0].split())


def _report(conversion: Conversion, anchor: str) -> str:
    items = []
    for finding in conversion.report.sorted():
        kind = "todo" if finding.is_todo else "mapped"
        where = f'<a href="#{anchor}-L{finding.line}">line {finding.line}</a>' if finding.line else "the whole file"
        items.append(f'<li class="{kind}">{where} <code>{finding.code}</code> {html.escape(finding.message)}</li>')
    listing = f'<ul class="report">{"".join(items)}</ul>' if items else "<p>No findings.</p>"
    state = "equal" if conversion.equal else "different" if conversion.equal is False else "unrun"
    verdict = html.escape(conversion.verdict).replace("`--verify`", "<code>--verify</code>")
    return (f'<p class="status">{html.escape(conversion.report.status)}</p>'
            f'<p class="verdict {state}">{verdict}</p>{listing}')  # fmt: skip


def _panel(entry: Entry, conversion: Conversion) -> str:
    anchor = f"{conversion.target}-in"
    after = conversion.output if conversion.output is not None else conversion.source
    name = entry.input.name.removesuffix(".in.py")
    suffix = {"lightning": "_lightning.py", "fabric": "_fabric.py", "upgrade": ".py (upgraded)"}[conversion.target]
    grid, _ = side_by_side(Side(f"{name}.py", conversion.source, anchor=anchor), Side(f"{name}{suffix}", after))
    return _report(conversion, anchor) + grid


def _summary(conversion: Conversion) -> str:
    mark = {True: "bitwise equal" if conversion.target != "upgrade" else "runs on 2.x", False: "FAILED", None: ""}
    todos = len(conversion.report.todos)
    return f"{conversion.report.status}{f', {todos} TODO' if todos else ''}{'; ' + mark[conversion.equal] if mark[conversion.equal] else ''}"


def page(entry: Entry, command: str) -> str:
    labels = [f"to {TARGETS[c.target][0]}" if c.target in TARGETS else "upgraded" for c in entry.conversions]
    panels = [_panel(entry, c) for c in entry.conversions]
    body = tabs(f"{entry.name}-targets", labels, panels) if len(panels) > 1 else panels[0]
    description = _first_paragraph(entry.conversions[0].source)
    return (f"{WIDE}# {entry.name.replace('_', ' ')}\n\n{description}\n\n`{command} {entry.input.name}`, run when this site was "
            f"built. Report lines link to the input line they are about; changed lines are marked.\n\n" + raw_html(body))  # fmt: skip


def write(site: Site, results: dict) -> str:
    """The gallery pages and their index; returns the home page's section (what was converted and verified)."""
    directory = site.source / "gallery"
    directory.mkdir(parents=True, exist_ok=True)
    convert_rows, upgrade_rows, names = [], [], []
    for key, entry in sorted(results.items()):
        if not key.startswith(("convert:", "upgrade:")):
            continue
        kind = key.split(":")[0]
        page_name = f"{kind}-{entry.name}"
        names.append(page_name)
        command = "t2l convert" if kind == "convert" else "t2l upgrade"
        (directory / f"{page_name}.md").write_text(page(entry, command))
        cells = " | ".join(_summary(c) for c in entry.conversions)
        (convert_rows if kind == "convert" else upgrade_rows).append(f"| [{entry.name}]({page_name}.md) | {cells} |")
    text = ("# The converter gallery\n\nEvery whole-script fixture of the converter, converted when this site was built; "
            "each page shows the script before and after, the report and the verdict of running both.\n\n"
            "## `t2l convert`: to a LightningModule and to Fabric\n\n| script | to LightningModule | to Fabric |\n|---|---|---|\n"
            + "\n".join(convert_rows)
            + "\n\n## `t2l upgrade`: Lightning 1.x to 2.x\n\n| script | upgraded |\n|---|---|\n" + "\n".join(upgrade_rows)
            + "\n\n```{toctree}\n:hidden:\n" + "\n".join(names) + "\n```\n")  # fmt: skip
    (directory / "index.md").write_text(text)
    converted = [c for key, e in results.items() if key.startswith("convert:") for c in e.conversions]
    upgraded = [c for key, e in results.items() if key.startswith("upgrade:") for c in e.conversions]

    def count(target: str) -> str:
        made = [c for c in converted if c.target == target and c.output is not None and c.report.status != DECLINED]
        verified = [c for c in made if c.equal]
        return f"{len(made)} to {TARGETS[target][0]} ({len(verified)} verified bitwise equal)"

    runs = [c for c in upgraded if c.equal is not None]
    return ("## [The converter gallery](gallery/index.md)\n\nScripts in the shapes people write, before and after, "
            f"converted when this site was built: of {len(converted) // 2} training scripts, {count('lightning')} and "
            f"{count('fabric')}; {len(upgraded)} Lightning 1.x scripts upgraded, {sum(bool(c.equal) for c in runs)} of "
            f"the {len(runs)} run there running to the end on the installed 2.x.")  # fmt: skip
