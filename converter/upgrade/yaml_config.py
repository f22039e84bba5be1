"""Trainer sections of YAML configs (TODO T2L964): LightningCLI's `trainer:` key, a Hydra config with
`_target_: pytorch_lightning.Trainer`, a file of a Hydra `trainer/` config group.

1.x configs hold the same flags as code (`gpus: 1`, `precision: 16`, `progress_bar_refresh_rate: 20`), and 2.x
rejects them the same way, but only when the config is loaded. One mechanism for both: the section's keys become
the keywords of a `Trainer(...)` call (one per line; a list or a mapping stands in as a placeholder name), the
code rules upgrade that call, and its keywords go back into the YAML, each where the key it came from stood.

The YAML is read with ruamel.yaml for its structure and line numbers only; the output is the input with just the
changed keys' lines replaced, so every other line (comments, quotes, `True` or `true`, `null` or nothing, the
indentation) stays byte for byte. Findings are reported at the YAML key's line; each TODO is a `# TODO(t2l): ...`
comment above its key. A value the rules rewrote into code YAML cannot hold is left out and marked (T2L964), as
is a section written in flow style (`trainer: {gpus: 1}`), which is reported but not rewritten.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from converter.files import BadInput
from converter.report import NOT_LIGHTNING, UP_TO_DATE, UPGRADED, UPGRADED_WITH_TODOS, Report, line_map

CODES = {
    "T2L964": "a YAML Trainer section the upgrade cannot write back (a value only code can hold, flow style): marked",
}
SUFFIXES = (".yaml", ".yml")
TRAINER_TARGET = re.compile(r"^(pytorch_lightning|lightning\.pytorch|lightning)(\.trainer(\.trainer)?)?\.Trainer$")
PLACEHOLDER = "_t2l_yaml_value_"
FIRST_KEYWORD_LINE = 3  # the snippet: an import, `trainer = pl.Trainer(`, then one keyword per line
PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")  # and read back as the same string (not 16, true, null)
EOL_COMMENT = re.compile(r"\s+#.*$")
_SAFE = YAML(typ="safe")  # reads a scalar back, to tell a plain string from 16, true or null


class _Edits:
    """Line edits on the source: a span of lines replaced, comment lines put before a line. 0-based lines."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.replace: dict[int, tuple[int, list[str]]] = {}  # start -> (end, new lines)
        self.before: dict[int, list[str]] = {}
        capitalised = len(re.findall(r":\s+(?:True|False)\s*(?:#.*)?$", source, re.M))
        self.booleans = ("True", "False") if capitalised > len(re.findall(r":\s+(?:true|false)\s*(?:#.*)?$", source, re.M)) \
            else ("true", "false")  # the file's own spelling (1.x's generated configs wrote Python's)

    def text(self) -> str:
        out, index = [], 0
        while index < len(self.lines):
            out += self.before.get(index, [])
            if index in self.replace:
                end, new = self.replace[index]
                out += new
                index = end
            else:
                out.append(self.lines[index])
                index += 1
        return "".join(out)

    def scalar(self, value: object) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return self.booleans[0] if value else self.booleans[1]
        if isinstance(value, (int, float)):
            return repr(value)
        text = str(value)
        return text if PLAIN.fullmatch(text) and _SAFE.load(text) == text else json.dumps(text)  # "32-true"


def upgrade_yaml(source: str, path: str = "<string>") -> tuple[str | None, Report]:
    """Upgrade the Trainer sections of one YAML config. Returns (new text or None when unchanged, report)."""
    report = Report(path)
    try:
        data = YAML().load(source)
    except YAMLError as error:
        raise BadInput(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    sections = list(_trainer_sections(data, in_trainer_group=Path(path).parent.name == "trainer"))
    if not sections:
        report.status = NOT_LIGHTNING
        return None, report
    edits = _Edits(source)
    for section in sections:
        _upgrade_section(section, report, edits)
    output = edits.text()
    if output == source or not report.findings:
        report.status = UPGRADED_WITH_TODOS if report.todos else UP_TO_DATE
        return None, report
    report.status = UPGRADED_WITH_TODOS if report.todos else UPGRADED
    return output, report


def _trainer_sections(node: object, in_trainer_group: bool) -> Iterator[CommentedMap]:
    if not isinstance(node, CommentedMap):
        if isinstance(node, list):
            for item in node:
                yield from _trainer_sections(item, False)
        return
    target = node.get("_target_")
    if in_trainer_group or (isinstance(target, str) and TRAINER_TARGET.match(target)):
        yield node
        return
    for key, value in node.items():
        if key == "trainer" and isinstance(value, CommentedMap):
            yield value
        else:
            yield from _trainer_sections(value, False)


def _upgrade_section(section: CommentedMap, report: Report, edits: _Edits) -> None:
    from converter.upgrade import upgrade_source  # the package imports this module

    keys = [k for k in section if isinstance(k, str) and k.isidentifier() and not k.startswith("_") and k != "defaults"]
    if not keys:
        return
    lines = ["import pytorch_lightning as pl", "trainer = pl.Trainer("]
    lines += [f"    {key}={_as_code(section[key], index)}," for index, key in enumerate(keys)]
    snippet = "\n".join([*lines, ")"]) + "\n"
    output, inner = upgrade_source(snippet, report.path)
    key_of_line = {FIRST_KEYWORD_LINE + i: k for i, k in enumerate(keys)}
    start = {k: section.lc.key(k)[0] for k in section}
    column = section.lc.key(keys[0])[1]
    todos: list[tuple[str | None, str]] = []
    for finding in inner.findings:
        key = key_of_line.get(finding.line)
        report.add(finding.code, start[key or keys[0]] + 1, finding.message)
        if finding.is_todo:
            todos.append((key, f"TODO(t2l): {finding.code} {finding.message}"))
    flow = section.fa.flow_style() or len({start[k] for k in keys}) < len(keys)
    if flow and output is not None:
        why = "a flow-style section ({...}) is reported, not rewritten: write the 2.x keys the report lists by hand"
        report.add("T2L964", start[keys[0]] + 1, why)
        todos.append((None, f"TODO(t2l): T2L964 {why}"))
        edits.before.setdefault(section.lc.line, []).extend(f"# {text}\n" for _, text in todos)
        return
    placed = {k: k for k in keys}
    if output is not None:
        placed, marks = _write_back(section, report, edits, snippet, output, keys, key_of_line, start, column)
        todos += marks
    indent = " " * column
    for key, text in todos:
        edits.before.setdefault(start[placed.get(key or keys[0], keys[0])], []).append(f"{indent}# {text}\n")


def _write_back(section: CommentedMap, report: Report, edits: _Edits, snippet: str, output: str, keys: list[str],
                key_of_line: dict[int, str], start: dict[str, int], column: int):  # fmt: skip
    """Replace the lines of each changed key with the upgraded keywords that came from it (found by mapping the
    output's lines back to the snippet's). Returns (original key -> the key whose line now carries its marks,
    the T2L964 marks as (key, comment))."""
    upgraded = _keywords(output)
    if upgraded is None:  # the call did not survive as keywords (a rewrite beyond the call): mark, change nothing
        why = "the Trainer section upgrades to code, not keys: upgrade it by hand"
        report.add("T2L964", start[keys[0]] + 1, why)
        return {k: k for k in keys}, [(None, f"TODO(t2l): T2L964 {why}")]
    origin = line_map(snippet.splitlines(), output.splitlines())
    originals = {k: section[k] for k in keys}
    marks: list[tuple[str | None, str]] = []
    new: dict[str | None, list[tuple[str, object]]] = {}  # original key (None: added) -> its keywords now
    for name, value, line in upgraded:
        source = key_of_line.get(origin(line))
        if isinstance(value, ast.Name) and value.id.startswith(PLACEHOLDER):
            new.setdefault(source, []).append((name, originals[keys[int(value.id[len(PLACEHOLDER) :])]]))
            continue
        try:
            converted = ast.literal_eval(value)
        except ValueError:
            why = f"{name}: the upgrade wrote `{ast.unparse(value)}`, which YAML cannot hold: set {name} by hand"
            report.add("T2L964", start[source] + 1 if source else start[keys[0]] + 1, why)
            marks.append((source, f"TODO(t2l): T2L964 {why}"))
            continue
        same = name in originals and converted == (str(originals[name]) if isinstance(originals[name], str) else originals[name])
        new.setdefault(source, []).append((name, originals[name] if same else converted))
    order = list(section)
    indent = " " * column
    placed: dict[str, str] = {}
    for key in keys:
        replacements = new.pop(key, [])
        first, end = start[key], _span_end(section, order, key, start, edits.lines, column)
        if replacements == [(key, originals[key])]:  # untouched
            placed[key] = key
            continue
        comment = EOL_COMMENT.search(edits.lines[first].rstrip("\n"))
        text = []
        for name, value in replacements:
            if value is originals[key] and not _is_scalar(value):  # a block value under a new name: keep its lines
                renamed = re.sub(rf"^(\s*){re.escape(key)}(\s*:)", rf"\g<1>{name}\g<2>", edits.lines[first])
                text += [renamed, *edits.lines[first + 1 : end]]
            else:
                text.append(f"{indent}{name}: {edits.scalar(value)}{comment.group(0) if comment and not text else ''}\n")
        if replacements:
            placed[key] = key  # its line now holds the first replacement
        edits.replace[first] = (end, text)
    added = [f"{indent}{name}: {edits.scalar(value)}\n" for items in new.values() for name, value in items]
    if added:
        last = keys[-1]
        end = _span_end(section, order, last, start, edits.lines, column)
        end, text = edits.replace.get(start[last], (end, edits.lines[start[last] : end]))  # as rewritten, if it was
        edits.replace[start[last]] = (end, [*text, *added])
    for key in keys:  # a key removed with nothing in its place: its marks go above the key after it
        if key not in placed:
            after = [k for k in order[order.index(key) + 1 :] if k in start]
            placed[key] = after[0] if after else key
    return placed, marks


def _span_end(section: CommentedMap, order: list[str], key: str, start: dict[str, int], lines: list[str],
              column: int) -> int:  # fmt: skip
    """The line after a key's value: the next key's line, or for the last key the first line at the section's
    indentation or less; blank and comment lines just before that stay outside (they belong to what follows)."""
    index = order.index(key)
    if index + 1 < len(order):
        end = start[order[index + 1]]
    else:
        end = start[key] + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > column):
            end += 1
    while end - 1 > start[key] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _as_code(value: object, index: int) -> str:
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(str(value))
    return f"{PLACEHOLDER}{index}"  # a list or a mapping: the rules read no further into it


def _keywords(output: str) -> list[tuple[str, ast.expr, int]] | None:
    for node in ast.walk(ast.parse(output)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Trainer":
            if node.args or any(k.arg is None for k in node.keywords):
                return None
            return [(k.arg, k.value, k.lineno) for k in node.keywords]  # type: ignore[misc]
    return None
