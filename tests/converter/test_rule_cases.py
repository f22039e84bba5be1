"""Each rule's own before/after cases, libcst's `assertCodemod` style kept as files (torchfix's layout):

    tests/converter/rules/convert/<rule>/<case>.in.py    a small script that makes the rule fire
    tests/converter/rules/convert/<rule>/<case>.out.py   what `t2l convert` must write for it
    tests/converter/rules/normalize/<normalizer>/...     the same for the normalizers (converter/convert/normalize/)
    tests/converter/rules/upgrade/<family>/...           the same for the `t2l upgrade` families
    tests/converter/rules/fabric/<rule>/...              the same for `t2l convert --to fabric`
    tests/converter/rules/upgrade/yaml_config/<case>.in.yaml   a YAML config's Trainer section (the same rules)

`<rule>` is the module under converter/convert/rules/ (or converter/upgrade/) that owns the codes. A case must
produce a code of its own rule; between them a rule's cases produce every code it declares; the output compiles,
and every TODO in the report marks a line. Regenerate the expected outputs after a deliberate change with
`T2L_UPDATE_FIXTURES=1 pytest tests/converter/test_rule_cases.py`, then read the diff.
"""

from __future__ import annotations

import ast
import os
import re
from functools import cache
from pathlib import Path

import pytest

from converter import upgrade
from converter.convert import convert_source
from converter.convert.registry import DECLINES, NORMALIZERS, RULES
from converter.fabric import convert_to_fabric
from converter.fabric.rules import DECLINES as FABRIC_DECLINES
from converter.fabric.rules import RULES as FABRIC_RULES
from converter.rules import declared
from converter.upgrade import upgrade_source
from converter.upgrade.yaml_config import upgrade_yaml

ROOT = Path(__file__).parent / "rules"
UPDATE = os.environ.get("T2L_UPDATE_FIXTURES") == "1"
TOOLS = {"convert": (list(dict.fromkeys([*RULES, *DECLINES])), convert_source), "normalize": (NORMALIZERS, convert_source), "upgrade": (upgrade.FAMILY_MODULES, upgrade_source),
         "fabric": ([*FABRIC_RULES, *FABRIC_DECLINES], convert_to_fabric)}
CASES = sorted([*ROOT.glob("*/*/*.in.py"), *ROOT.glob("upgrade/yaml_config/*.in.yaml")])


def _rule_of(case: Path):
    tool, rule = case.parent.parent.name, case.parent.name
    modules, run = TOOLS[tool]
    module = next(m for m in modules if m.__name__.rsplit(".", 1)[-1] == rule)
    return module, run


@cache
def _run(case: Path) -> tuple[str, set[str], object]:
    """(output, codes reported, report) of one case, converted once for all the tests that read it."""
    _, run = _rule_of(case)
    run = upgrade_yaml if case.suffix == ".yaml" else run
    source = case.read_text()
    output, report = run(source, case.name)
    return (source if output is None else output), {f.code for f in report.findings}, report


def _id(case: Path) -> str:
    return f"{case.parent.parent.name}/{case.parent.name}/{case.name.split('.in.')[0]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_case_converts_to_its_expected_output(case):
    output, produced, report = _run(case)
    expected = case.with_name(case.name.replace(".in.", ".out."))
    if UPDATE:
        expected.write_text(output)
    assert output == expected.read_text()
    if case.suffix == ".py":
        compile(output, str(expected), "exec")  # parses and compiles: no `break` left outside its loop
    module, _ = _rule_of(case)
    assert produced & set(module.CODES), f"{case.name} produces none of {sorted(module.CODES)}: {sorted(produced)}"
    for finding in report.todos:
        assert f"# TODO(t2l): {finding.code}" in output  # a TODO always marks its line


@pytest.mark.parametrize("case", [c for c in CASES if c.parent.parent.name != "upgrade"], ids=_id)
def test_every_todo_marks_a_line_on_both_routes(case):
    """Every convert and Fabric case through both routes (a case is written for one; the other must keep the
    promise too): each TODO in the report is a `# TODO(t2l): CODE` line of the output. A retain_graph case once
    broke it: T2L907 reported, its backward removed, nothing marked."""
    source = case.read_text()
    for transform in (convert_source, convert_to_fabric):
        output, report = transform(source, case.name)
        for finding in report.todos:
            assert output is not None and f"# TODO(t2l): {finding.code}" in output, (transform.__name__, finding)


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_every_rule_has_cases_producing_each_of_its_codes(tool):
    modules, _ = TOOLS[tool]
    for module in modules:
        rule = module.__name__.rsplit(".", 1)[-1]
        cases = sorted((ROOT / tool / rule).glob("*.in.*"))
        assert cases, f"{module.__name__} has no cases under {ROOT / tool / rule}"
        produced = set().union(*(_run(case)[1] for case in cases))
        assert set(module.CODES) <= produced, f"{rule}: no case produces {sorted(set(module.CODES) - produced)}"


def test_codes_are_distinct_documented_and_owned_by_one_module():
    codes = [code for code, _, _ in declared()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert all(re.fullmatch(r"T2L[1239]\d\d", code) and message.strip() for code, _, message in declared())


@pytest.mark.parametrize("module", [*RULES, *FABRIC_RULES, *FABRIC_DECLINES, *upgrade.FAMILY_MODULES], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_a_rule_module_reports_only_the_codes_it_owns(module):
    """A code written in a module is one it declares: another rule's code is reached through that rule's functions."""
    written = set(re.findall(r'"(T2L\d{3})"', Path(module.__file__).read_text()))
    assert written <= set(module.CODES), sorted(written - set(module.CODES))


def test_no_class_in_the_converter_is_over_150_lines():
    """One class per concern: a class that grows past this is doing several rules' work."""
    package = Path(__file__).parents[2] / "converter"
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno < 150, f"{path}:{node.lineno} {node.name}"


def test_every_expected_output_has_its_input():
    """An `<case>.out.py` whose input is gone is checked by nothing and misleads a reader (one was found stale)."""
    orphans = [out for out in ROOT.glob("*/*/*.out.*")
               if not any(out.with_name(out.name.replace(".out.", ".in.")).with_suffix(s).exists() for s in (".py", ".yaml"))]  # fmt: skip
    assert not orphans, orphans
