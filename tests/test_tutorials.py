"""Every lesson runs, block by block, in a fresh interpreter (their claims are asserts); notebooks export.

`t2l tutorials run` prints each lesson's time and the total; the README quotes the figures.
"""

from __future__ import annotations

import json

import pytest

from pairs.harness import cli, tutorials

LESSONS = tutorials.lessons()


def test_eleven_numbered_lessons_and_the_errata():
    names = [p.stem for p in LESSONS]
    assert [n[:2] for n in names[:-1]] == [f"{i:02d}" for i in range(1, 12)] and names[-1] == "errata"
    for lesson in LESSONS[:-1]:  # the title's number is the file's: `# 2. Keep your loop...` in 02-...md
        assert lesson.read_text().startswith(f"# {int(lesson.name[:2])}. "), lesson.name


# The longest lessons (DDP and the speed ladder, the Fabric pairs run side by side, hosted runtimes, the first
# lesson's three sides, checkpoints and resume: 30-95 s each) are `slow`, so the README's test command stays under
# 10 minutes on 2 cores; `.ci/run` runs them after it.
LONG = ("01-from-pytorch-to-lightning", "02-keep-your-loop-fabric", "04-managing-training", "08-scaling",
        "09-hosted-gpus-and-notebooks", "11-converting-your-own-script")  # fmt: skip


@pytest.mark.parametrize("lesson", [pytest.param(p, marks=pytest.mark.slow) if p.stem in LONG else p for p in LESSONS],
                         ids=lambda p: p.stem)  # fmt: skip
def test_lesson_runs(lesson, tmp_path):
    blocks = tutorials.blocks(lesson)
    assert blocks and all(b.language in tutorials.RUNNABLE for b in blocks)
    tutorials.run(lesson, cwd=tmp_path)  # raises LessonFailed naming the Markdown block


def test_a_failing_block_is_reported_with_its_markdown_line(tmp_path):
    lesson = tmp_path / "99-broken.md"
    lesson.write_text("# Broken\n\n```python\nx = 1\n```\n\ntext\n\n```python\nassert x == 2, 'claim'\n```\n")
    with pytest.raises(tutorials.LessonFailed, match=r"in the block at 99-broken.md:9"):
        tutorials.run(lesson, cwd=tmp_path)


def test_export_writes_one_valid_notebook_per_lesson(tmp_path):
    written = tutorials.export(tmp_path)
    assert [p.stem for p in written] == [p.stem for p in LESSONS]
    for path, lesson in zip(written, LESSONS):
        notebook = json.loads(path.read_text())
        assert notebook["nbformat"] == 4
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert len(code) == len(tutorials.blocks(lesson))
        assert any(c["cell_type"] == "markdown" for c in notebook["cells"])
        bash = [c for c in code if c["source"] and c["source"][0].startswith("%%bash")]
        assert len(bash) == sum(b.language == "bash" for b in tutorials.blocks(lesson))
    try:
        import nbformat
    except ImportError:
        return
    for path in written:
        nbformat.validate(nbformat.read(path, as_version=4))


PICTURE_LESSON = """# Pictures

```python
import matplotlib.pyplot as plt

print("first block")
plt.plot([0, 1], [1, 0])
plt.savefig("curve.png")
```

```bash
echo from bash
```

```python
print("third block")
```
"""


def test_each_block_keeps_its_own_output_and_pictures(tmp_path):
    lesson = tmp_path / "98-pictures.md"
    lesson.write_text(PICTURE_LESSON)
    kept = tmp_path / "kept"
    kept.mkdir()
    result = tutorials.run(lesson, cwd=kept)  # `t2l tutorials run N --keep DIR` runs here and keeps it
    ran = tutorials.outputs(result.stdout, 3)
    assert [o.text for o in ran] == ["first block\n", "from bash\n", "third block\n"]
    assert ran[0].pictures == [(kept / "curve.png").resolve()] and not ran[1].pictures and not ran[2].pictures
    assert (kept / "curve.png").read_bytes().startswith(b"\x89PNG")
    assert tutorials.visible(result.stdout) == "first block\nfrom bash\nthird block\n"


def test_export_execute_fills_cells_with_outputs_and_images(tmp_path):
    lesson = tmp_path / "98-pictures.md"
    lesson.write_text(PICTURE_LESSON)
    (written,) = tutorials.export(tmp_path / "nb", execute=True, chosen=[lesson])
    notebook = json.loads(written.read_text())
    assert notebook["nbformat_minor"] == 5 and len({c["id"] for c in notebook["cells"]}) == len(notebook["cells"])
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == [1, 2, 3]
    first = code[0]["outputs"]
    assert first[0]["text"] == ["first block\n"] and "image/png" in first[1]["data"]
    assert code[1]["outputs"][0]["text"] == ["from bash\n"]
    try:
        import nbformat
    except ImportError:
        return
    nbformat.validate(nbformat.read(written, as_version=4))


@pytest.mark.parametrize("lesson", LESSONS[:-1], ids=lambda p: p.stem)
def test_a_lesson_opens_with_its_goals_and_closes_with_a_recap_and_an_exercise(lesson):
    text = lesson.read_text()
    first_block = text.index("```")
    assert text.index("**You will learn**") < first_block
    recap, exercise = text.index("\n## Recap\n"), text.index("\n## Exercise\n")
    assert recap < exercise and "```" not in text[recap:]  # the lesson's last section is the exercise
    table = [line for line in text[recap:exercise].splitlines() if line.startswith("|")]
    assert len(table) >= 4 and set(table[1].replace("|", "").split()) == {"---"}  # header, rule, two rows or more
    assert text[exercise:].strip().count("\n") >= 2


def test_habits_and_overfitting_one_batch_come_before_manual_optimization():
    first = {needle: next(i for i, p in enumerate(LESSONS) if needle in p.read_text())
             for needle in ("nn.ModuleList", "overfit_batches", "automatic_optimization = False")}
    assert first["nn.ModuleList"] < first["automatic_optimization = False"]
    assert first["overfit_batches"] < first["automatic_optimization = False"]


@pytest.fixture
def picture_lessons(tmp_path, monkeypatch):
    """A tutorials directory holding the three-block lesson above as lesson 98, read by `t2l tutorials`."""
    directory = tmp_path / "lessons"
    directory.mkdir()
    (directory / "98-pictures.md").write_text(PICTURE_LESSON)
    monkeypatch.setattr(tutorials, "TUTORIALS", directory)
    return directory


def test_keep_with_a_relative_directory_from_another_working_directory(tmp_path, monkeypatch, picture_lessons, capsys):
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["tutorials", "run", "98", "--keep", "kept"]) == cli.EXIT_OK  # relative to the cwd, as README's
    assert (elsewhere / "kept" / "curve.png").read_bytes().startswith(b"\x89PNG")
    assert not (elsewhere / "kept" / "kept").exists()
    assert f"kept everything the lesson wrote under {elsewhere / 'kept'}" in " ".join(capsys.readouterr().out.split())


def test_keep_refuses_a_directory_holding_files_unless_forced(tmp_path, monkeypatch, picture_lessons, capsys):
    monkeypatch.chdir(tmp_path)
    kept = tmp_path / "mine"
    kept.mkdir()
    (kept / "notes.txt").write_text("my notes")
    (kept / "curve.png").write_text("an older picture of mine")
    assert cli.main(["tutorials", "run", "98", "--keep", "mine"]) == cli.EXIT_USAGE
    error = " ".join(capsys.readouterr().err.split())
    assert "not empty" in error and "--force" in error and "Traceback" not in error
    assert (kept / "curve.png").read_text() == "an older picture of mine"  # refused: nothing ran, nothing changed
    assert cli.main(["tutorials", "run", "98", "--keep", "mine", "--force"]) == cli.EXIT_OK
    assert (kept / "notes.txt").read_text() == "my notes"  # the user's own file is never deleted
    assert (kept / "curve.png").read_bytes().startswith(b"\x89PNG")  # the lesson's file of that name replaced it
