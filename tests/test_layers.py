"""The layers of transforms/: a stage imports only the kit and the stages before it (walked with ast).

Order: the value types (records, schema, filenames), then kit/, then the stages in pipeline order,
decode → repair → normalize → segment → entities, then dedupe, and pipeline on top. A module may
import its own unit and any unit of a lower layer; an import of a unit on the same layer (sideways)
or a higher one (backward) fails, and so does any import of Prefect or of flows/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TRANSFORMS = Path(__file__).resolve().parents[1] / "transforms"
LAYERS = {
    "records": 0,
    "schema": 0,
    "filenames": 0,
    "kit": 1,
    "decode": 2,
    "repair": 3,
    "normalize": 4,
    "segment": 5,
    "entities": 6,
    "dedupe": 7,
    "pipeline": 8,
}
FORBIDDEN_ROOTS = frozenset({"prefect", "flows"})


def imported(source: str) -> list[str]:
    """Every module named by an import statement of `source`, anywhere in it (also inside functions).

    >>> imported("from transforms import kit, segment\\nimport numpy\\nfrom transforms.kit.edits import x")
    ['transforms.kit', 'transforms.segment', 'numpy', 'transforms.kit.edits']
    """
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "transforms":
                names += [f"transforms.{alias.name}" for alias in node.names]
            else:
                names.append(node.module)
    return names


def unit_of(path: Path) -> str:
    """The layer unit of a module of transforms/: its stage package, or its own name at the top."""
    parts = path.relative_to(TRANSFORMS).with_suffix("").parts
    return parts[0]


def violations(unit: str, source: str) -> list[str]:
    """The imports of `source` (a module of `unit`) that break the layers.

    >>> violations("repair", "from transforms.normalize import to_simplified")
    ['backward: repair imports transforms.normalize']
    >>> violations("decode", "from transforms.kit.charlm import plausibility\\nimport re")
    []
    >>> violations("entities", "from transforms.dedupe import minhash")
    ['backward: entities imports transforms.dedupe']
    """
    found = []
    for name in imported(source):
        root = name.split(".")[0]
        if root in FORBIDDEN_ROOTS:
            found.append(f"forbidden: {unit} imports {name}")
        if root != "transforms" or name == "transforms":
            continue
        other = name.split(".")[1]
        if other == unit:
            continue
        if other not in LAYERS:
            found.append(f"unknown unit: {unit} imports {name}")
        elif LAYERS[other] >= LAYERS[unit]:
            kind = "sideways" if LAYERS[other] == LAYERS[unit] else "backward"
            found.append(f"{kind}: {unit} imports {name}")
    return found


MODULES = sorted(
    path for path in TRANSFORMS.rglob("*.py") if path.name != "__init__.py" or path.parent != TRANSFORMS
)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(TRANSFORMS)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    unit = unit_of(path)
    assert unit in LAYERS, f"{path}: a module outside the layers; add its unit to LAYERS"
    assert violations(unit, path.read_text("utf-8")) == []
