"""Every lesson runs, block by block, in a fresh interpreter (their claims are asserts); notebooks export.

`t2l tutorials run` prints each lesson's time and the total; the README quotes the figures.
"""

from __future__ import annotations

import json

import pytest

from pairs.harness import tutorials

LESSONS = tutorials.lessons()


def test_ten_numbered_lessons_and_the_errata():
    names = [p.stem for p in LESSONS]
    assert [n[:2] for n in names[:10]] == [f"{i:02d}" for i in range(1, 11)] and names[-1] == "errata"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
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
