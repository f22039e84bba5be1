"""`t2l site`: the built site has its pages, its links resolve, its figures exist, what it shows came from real
runs, and in a real browser (Debian's Chromium) no page has a console error, a broken image or a request that
leaves the machine.

The default suite builds a small site once per run, shared by the xdist workers (`--quick --only` a pair, two
lessons and a few fixtures: about 25 s, 50 s on a busy machine);
the whole site is built by `.ci/run` (`t2l site build` then `t2l site check`) and by the `slow` test below.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from rich.console import Console

from converter.report import Report
from pairs.harness import tutorials
from pairs.harness.cli import main
from pairs.site import browser
from pairs.site.build import BuildFailed, Job, Site, broken_links, build, run_jobs
from pairs.site.sidebyside import Side, highlighted_lines, side_by_side

PAIR, LESSONS, CONVERTED, DECLINED, UPGRADED = "mnist_mlp", ("03", "errata"), "mnist_functions", "unsupported_rl_episodes", "epoch_end_hooks"
CHROMIUM = browser.chromium()
NO_BROWSER = "no Chromium on this machine (.ci/run installs Debian's chromium; locally: apt-get install chromium)"


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id) -> Site:
    """Built once per run: under xdist the first worker to need it builds it in the run's shared temporary
    directory while the other waits on a lock (two builds cost a worker about 50 s each)."""
    only = {PAIR, *LESSONS, CONVERTED, DECLINED, UPGRADED}
    if worker_id == "master":  # no xdist: the parent of this run's temporary directory is shared between runs
        built = Site(tmp_path_factory.mktemp("site"), quick=True, only=only)
        build(built, Console(file=None, quiet=True))
        return built
    shared = tmp_path_factory.getbasetemp().parent  # this run's, one level above each worker's
    built = Site(shared / "site", quick=True, only=only)
    with FileLock(str(shared / "site.lock")):
        if not (shared / "site.built").exists():
            build(built, Console(file=None, quiet=True))
            (shared / "site.built").touch()
    return built


def _text(page: Path) -> str:
    """A page's visible text, roughly: tags dropped, entities decoded."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def test_every_part_has_its_pages(site):
    pages = {p.relative_to(site.html).as_posix() for p in site.html.rglob("*.html")}
    assert {"index.html", "pairs/index.html", f"pairs/{PAIR}.html", "lessons/index.html", "lessons/errata.html",
            "lessons/03-habits-that-save-hours.html", "gallery/index.html", f"gallery/convert-{CONVERTED}.html",
            f"gallery/convert-{DECLINED}.html", f"gallery/upgrade-{UPGRADED}.html"} <= pages  # fmt: skip


def test_the_home_page_shows_the_course(site):
    """The pairs with their verdicts, the lessons in order with what each teaches, the gallery's counts."""
    home = (site.html / "index.html").read_text()
    text = _text(site.html / "index.html")
    assert f'href="pairs/{PAIR}.html"' in home and "bitwise equal: 3 sides, 20 steps" in text
    lesson = home.index('href="lessons/03-habits-that-save-hours.html"')
    assert lesson < home.index('href="lessons/errata.html"') and "clip_grad_norm_" in text  # the README's "teaches"
    assert "of 2 training scripts, 1 to LightningModule (1 verified bitwise equal)" in text  # one declined
    assert "1 Lightning 1.x scripts upgraded, 1 of the 1 run there running to the end" in text


def test_links_resolve_and_nothing_loads_from_outside(site):
    assert broken_links(site.html) == []


def test_the_link_check_finds_what_is_broken(tmp_path):
    """Negative control: a missing file, a missing #id and a CDN script are each reported."""
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html">b</a> <a href="a.html#there">x</a> '
                                     '<script src="https://cdn.example.org/x.js"></script><a href="#here">ok</a></p>')  # fmt: skip
    problems = broken_links(tmp_path)
    assert len(problems) == 3, problems
    assert any("b.html: no such file" in p for p in problems) and any("no id 'there'" in p for p in problems)
    assert any("from outside the site" in p for p in problems)


def test_a_pair_page_shows_the_sides_code_and_the_real_check(site):
    page = site.html / "pairs" / f"{PAIR}.html"
    text = _text(page)
    for side in ("plain", "fabric", "lightning"):  # every line of every side is on the page, read from the file
        source = (Path("pairs") / PAIR / f"{side}.py").read_text()
        missing = [line for line in source.splitlines() if line.strip() and line.strip() not in text]
        assert not missing, (side, missing[:3])
    result = json.loads((site.runs / "checks" / PAIR / "check.json").read_text())
    assert result["epochs"] == 1 and result["steps_compared"] == 20  # the quick build's check ran
    assert ("bitwise equal" in text) == result["bitwise_equal"]
    curves = site.html / "_images" / f"{PAIR}-curves.png"
    assert curves.is_file() and curves.read_bytes()[:4] == b"\x89PNG" and f"{PAIR}-curves.png" in page.read_text()


def test_a_lesson_page_carries_every_blocks_output(site):
    lesson = next(p for p in tutorials.lessons() if p.stem.startswith("03"))
    page = (site.html / "lessons" / f"{lesson.stem}.html").read_text()
    ran = tutorials.outputs(tutorials.run(lesson).stdout, len(tutorials.blocks(lesson)))
    printed = [o for o in ran if o.text.strip()]
    assert printed and page.count('class="output') == len(printed)
    first_line = printed[0].text.strip().splitlines()[0]
    assert html_lib.escape(first_line, quote=False) in page


def test_gallery_pages_carry_the_report_and_verdict(site):
    converted = (site.html / "gallery" / f"convert-{CONVERTED}.html").read_text()
    assert converted.count("bitwise equal") >= 1 and "T2L102" in converted  # loss.backward() mapped
    assert re.search(r'href="#lightning-in-L\d+"', converted)  # report lines link to input lines
    declined = _text(site.html / "gallery" / f"convert-{DECLINED}.html")
    assert "declined" in declined and "bitwise equal" in declined  # no LightningModule; the Fabric route verified
    upgraded = _text(site.html / "gallery" / f"upgrade-{UPGRADED}.html")
    assert "runs to the end on the installed Lightning 2.x" in upgraded


def test_the_gallery_shows_the_verify_result_a_fixture_test_left(tmp_path, monkeypatch):
    """With T2L_VERIFY_CACHE set (.ci/run), the gallery shows the `--verify` result the fixture test left for the
    same two scripts instead of running them again; a different output is run, not looked up."""
    from converter.verify import SideRun, Verification
    from pairs.site import gallery
    from tests.converter.fixtures import recalled, remember, verify_key

    fixture = next(f for f in gallery.convert_fixtures(Site(tmp_path / "site", quick=True, only={CONVERTED})))
    output = fixture.expected.read_text()
    key = verify_key(fixture.input, output, list(fixture.args), fixture.steps)
    left = Verification(SideRun([0.5, 0.25], 2, None, ""), SideRun([0.5, 0.125], 2, None, ""), steps=2)
    monkeypatch.delenv("T2L_VERIFY_CACHE", raising=False)  # (under .ci/run: not the run's own cache)
    remember(left, key)
    assert recalled(key) is None  # without the variable nothing is kept
    monkeypatch.setenv("T2L_VERIFY_CACHE", str(tmp_path / "cache"))
    remember(left, key)
    conversion = gallery.Conversion("lightning", fixture.input.read_text(), output, Report(fixture.input.name))
    gallery._verdict(fixture, conversion, tmp_path, run=False)
    assert conversion.equal is False and "DIFFERENT at loss 1" in conversion.verdict  # the one left, not a new run
    other = gallery.Conversion("lightning", fixture.input.read_text(), output + "\n", Report(fixture.input.name))
    gallery._verdict(fixture, other, tmp_path, run=False)
    assert other.equal is None  # not the scripts the test verified: nothing recalled, and not run here


def test_highlighting_keeps_every_character_of_every_line():
    code = 'def f(x):\n    """two\n    lines"""\n    return x + 1  # <tag> & co\n\n'
    shown = highlighted_lines(code)
    assert [html_lib.unescape(re.sub(r"<[^>]+>", "", line)) for line in shown] == code.splitlines()


def test_side_by_side_keeps_equal_lines_level():
    left, right = "a\nb\nc\nd\n", "a\nx\ny\nc\nd\n"
    grid, differing = side_by_side(Side("l", left), Side("r", right))
    cells = re.findall(r'class="line (left|right)( changed| filler)?"', grid)
    assert differing == 3  # b removed, x and y added
    assert [c[0] for c in cells] == ["left", "right"] * 5  # row by row: five rows, the left padded with a filler
    assert [c for c in cells if c[1] == " filler"] == [("left", " filler")]
    assert cells[2:6] == [("left", " changed"), ("right", " changed"), ("left", " filler"), ("right", " changed")]


def test_a_failed_run_names_itself():
    def fails():
        raise RuntimeError("lesson 3 failed")

    with pytest.raises(BuildFailed, match="lesson 03: lesson 3 failed"):
        run_jobs([Job("a", "lesson 03", fails), Job("b", "fine", lambda: 1)], Console(quiet=True))


def test_check_without_a_site_is_a_usage_error(tmp_path, capsys):
    assert main(["site", "check", "--out", str(tmp_path / "nothing")]) == 2
    assert "run `t2l site build" in capsys.readouterr().err


@pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER)
def test_every_page_loads_cleanly_in_chromium(site):
    report = browser.check(site.html, site.out / "screenshots", CHROMIUM)
    assert report.problems == []
    assert report.pages == len(list(site.html.rglob("*.html")))
    widths = {p.stem.rsplit("-", 1)[1] for p in report.screenshots}
    assert widths == {"desktop", "phone"} and all(p.stat().st_size > 1000 for p in report.screenshots)


@pytest.mark.skipif(CHROMIUM is None, reason=NO_BROWSER)
def test_the_browser_check_sees_what_a_reader_would(site, tmp_path):
    """Negative control: a page that loads a script from a CDN, shows a missing image and throws is reported;
    and stacked panes on a desktop page are reported as not side by side."""
    broken = tmp_path / "html"
    shutil.copytree(site.html, broken)
    page = broken / "pairs" / f"{PAIR}.html"
    page.write_text(page.read_text().replace("</body>", '<img src="missing.png"><script src="https://cdn.example.org/'
                                             'x.js"></script><script>null.boom()</script><style>.side-by-side'
                                             "{grid-template-columns:1fr !important}</style></body>"))  # fmt: skip
    problems = browser.check(broken, tmp_path / "shots", CHROMIUM).problems
    assert any("leaves the site" in p for p in problems)
    assert any("image did not load" in p for p in problems)
    assert any("exception" in p for p in problems)
    assert any("not next to each other" in p for p in problems)


@pytest.mark.slow
def test_the_whole_site_builds_and_loads(tmp_path):
    assert main(["site", "build", "--out", str(tmp_path)]) == 0
    pages = list((tmp_path / "html").rglob("*.html"))
    assert len([p for p in pages if "/lessons/" in p.as_posix()]) == len(tutorials.lessons()) + 1  # + the index
    if CHROMIUM:
        assert main(["site", "check", "--out", str(tmp_path)]) == 0


def test_build_refuses_a_directory_that_is_not_a_site(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["site", "build", "--out", str(tmp_path)]) == 2
    assert "not a site t2l built" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_serve_on_a_port_in_use_is_one_line(site, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["site", "serve", "--out", str(site.out), "--port", str(taken.getsockname()[1])]) == 2
    error = capsys.readouterr().err
    assert "cannot serve on port" in error and "Traceback" not in error


def test_only_with_an_unknown_name_is_one_line(tmp_path, capsys):
    assert main(["site", "build", "--out", str(tmp_path / "s"), "--only", "mnist_mpl"]) == 2
    assert "names no pair, lesson or fixture (did you mean 'mnist_mlp'?)" in capsys.readouterr().err
