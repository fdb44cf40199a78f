"""README.md's layout section names every package and module of transforms/, and nothing that is gone."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRANSFORMS = REPO / "transforms"


def layout_entries(readme: str) -> dict[str, set[str]]:
    """What the layout block says of transforms/: each entry (``kit/``, ``dedupe.py``) with the module
    names its lines give (an entry's lines run until the next entry).

    >>> block = "transforms/ x\\n  kit/   a.py\\n        b.py\\n  dedupe.py  y\\nflows/\\n"
    >>> found = layout_entries("<!-- layout:start -->\\n" + block + "<!-- layout:end -->")
    >>> {entry: sorted(modules) for entry, modules in found.items()}
    {'kit/': ['a.py', 'b.py'], 'dedupe.py': []}
    """
    block = readme[readme.index("<!-- layout:start") : readme.index("<!-- layout:end -->")]
    entries: dict[str, set[str]] = {}
    current = None
    for line in block.splitlines():
        entry = re.match(r"  (\S+)", line)
        if entry and not line.startswith("   "):
            current = entry.group(1)
            entries[current] = set()
            line = line[len(entry.group(0)) :]
        elif re.match(r"\S", line):
            current = None
        if current and current.endswith("/"):
            entries[current] |= set(re.findall(r"\b\w+\.py\b", line))
    return entries


def tree() -> dict[str, set[str]]:
    """The packages of transforms/ with their modules, and its top-level modules and resources."""
    found: dict[str, set[str]] = {"resources/": set()}
    for path in sorted(TRANSFORMS.iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            found[f"{path.name}/"] = {
                module.name for module in path.glob("*.py") if module.name != "__init__.py"
            }
        elif path.suffix == ".py" and path.name != "__init__.py":
            found[path.name] = set()
    return found


def test_the_layout_section_matches_the_tree() -> None:
    entries = layout_entries((REPO / "README.md").read_text("utf-8"))
    assert entries == {
        entry: modules if entry != "resources/" else set() for entry, modules in tree().items()
    }
