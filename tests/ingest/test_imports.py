"""ingest imports only article and errors from the project (docs/STYLE.md, module map)."""

from __future__ import annotations

import ast
from pathlib import Path

import search.ingest

ALLOWED = {"search.article", "search.errors", "search.ingest"}


def test_ingest_imports_only_article_and_errors() -> None:
    package = Path(search.ingest.__file__).parent
    seen: set[str] = set()
    for module in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{module.name}: use absolute imports"
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            seen.update(names)
            for name in names:
                if name == "search" or name.startswith("search."):
                    allowed = name in ALLOWED or name.startswith("search.ingest.")
                    assert allowed, f"{module.name} imports {name}"
    # the walk saw the modules' imports, the allowed ones among them
    assert {"search.article", "search.errors", "search.ingest.open", "csv", "json"} <= seen
