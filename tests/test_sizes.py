"""Sizes in transforms/: no module over 400 lines, no function over 60 (walked with ast). Cyclomatic
complexity is ruff's C901 (max-complexity 20 in pyproject.toml), run by `make test`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TRANSFORMS = Path(__file__).resolve().parents[1] / "transforms"
MODULE_LINES = 400
FUNCTION_LINES = 60
MODULES = sorted(TRANSFORMS.rglob("*.py"))


def long_functions(source: str, limit: int = FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of the functions of `source` longer than `limit` lines, decorators and docstring
    included.

    >>> long_functions("def short():\\n    return 1\\n", 1)
    [('short', 2)]
    >>> long_functions("def short():\\n    return 1\\n")
    []
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
            if node.end_lineno - first + 1 > limit:
                found.append((node.name, node.end_lineno - first + 1))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(TRANSFORMS)))
def test_module_and_its_functions_are_short(path: Path) -> None:
    source = path.read_text("utf-8")
    assert len(source.splitlines()) <= MODULE_LINES
    assert long_functions(source) == []
