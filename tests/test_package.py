"""The package's shape: the public API, the import rules of docs/STYLE.md §1, help text for
every command, package data, imports without side effects, the doctests in the test run, and a
clean ruff."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import resources
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from click.testing import CliRunner

import search
import search.arabic
from search.arabic.lexicon import word_counts
from search.arabic.stem import protected_words
from search.arabic.stopwords import stopwords
from search.cli import main

PACKAGE = Path(search.__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_exactly_this_list() -> None:
    assert search.__all__ == [
        "AnalyzedToken",
        "Article",
        "BahthError",
        "Hit",
        "IndexDamaged",
        "IndexIncompatible",
        "IndexLocked",
        "IndexNotFound",
        "IndexReport",
        "IndexStats",
        "Indexer",
        "InputError",
        "Labels",
        "Note",
        "Progress",
        "QueryError",
        "Reject",
        "RejectsRun",
        "Relaxed",
        "Results",
        "SearchOptions",
        "Searcher",
        "ShardUnavailable",
        "StorageError",
        "analyze",
        "engines",
        "normalize",
        "read_rejects",
        "render",
        "stem",
        "tokenize",
        "without_filters",
    ]


def test_public_names_are_the_objects_defined_in_the_package() -> None:
    for name in search.__all__:
        public = getattr(search, name)
        if name in ("render", "engines"):
            module = {"render": "search.render", "engines": "search.engine.registry"}[name]
            assert public is importlib.import_module(module)
            continue
        # a class (CamelCase) or a function, defined in one of the package's modules under
        # the name it is exported as (search.stem is the function, not search.arabic.stem)
        assert isinstance(public, type) if name[0].isupper() else callable(public), name
        home = sys.modules[public.__module__]
        assert home.__name__.startswith("search."), (name, home.__name__)
        assert getattr(home, name) is public, (name, home.__name__)
    namespace: dict[str, object] = {}
    exec("from search import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(search.__all__)


def test_errors_form_one_tree() -> None:
    for name in (
        "IndexNotFound",
        "IndexIncompatible",
        "IndexDamaged",
        "IndexLocked",
        "StorageError",
        "InputError",
        "QueryError",
    ):
        assert issubclass(getattr(search, name), search.BahthError)


# --- import rules ------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                if node.module is None:  # from . import render: submodules
                    found.update(f"{target}.{alias.name}" for alias in node.names)
                    continue
            else:
                target = node.module or ""
            found.add(target)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def project(names: set[str]) -> set[str]:
    return {n for n in names if n == "search" or n.startswith("search.")}


ENGINE = PACKAGE / "engine"
ENGINE_PACKAGES = {"whoosh": ENGINE / "whoosh", "tantivy": ENGINE / "tantivy"}


def test_the_import_walker_sees_the_package() -> None:
    assert ENGINE / "whoosh" / "analysis.py" in MODULES
    assert "search.arabic.normalize" in imports(PACKAGE / "arabic" / "__init__.py")
    assert "search.render" in imports(PACKAGE / "__init__.py")
    assert "whoosh.analysis" in imports(ENGINE / "whoosh" / "analysis.py")


@pytest.mark.parametrize("library", ENGINE_PACKAGES)
@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_an_engine_package_imports_its_library(library: str, path: Path) -> None:
    if ENGINE_PACKAGES[library] in path.parents:
        return
    found = {n for n in imports(path) if n == library or n.startswith(f"{library}.")}
    assert not found, f"{path.relative_to(PACKAGE)} imports {found}"


@pytest.mark.parametrize(
    "name",
    ["searcher.py", "scanning.py", "indexer.py", "snippets.py", "layout.py", "generation.py"],
)
def test_the_rest_speaks_only_the_engine_contract(name: str) -> None:
    engine_parts = {n for n in project(imports(PACKAGE / name)) if n.startswith("search.engine")}
    assert not {
        n for n in engine_parts if n.startswith(("search.engine.whoosh", "search.engine.tantivy"))
    }


@pytest.mark.parametrize(
    "path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(ENGINE))
)
def test_an_engine_package_imports_no_other_and_the_core_none(path: Path) -> None:
    """Engines share only ``engine/`` and ``engine/core/``: the core and the contract use no
    engine, and no engine another (the registry names the built-in ones as text)."""
    home = next(
        (name for name, package in ENGINE_PACKAGES.items() if package in path.parents), None
    )
    others = {f"search.engine.{name}" for name in ENGINE_PACKAGES if name != home}
    found = {n for n in project(imports(path)) for o in others if n == o or n.startswith(o + ".")}
    assert not found, f"{path.relative_to(PACKAGE)} imports {found}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "arabic").rglob("*.py")), ids=lambda p: p.name)
def test_arabic_imports_nothing_from_the_rest_of_the_project(path: Path) -> None:
    outside = {
        n
        for n in project(imports(path))
        if not (n == "search.arabic" or n.startswith("search.arabic."))
    }
    assert not outside, f"arabic/{path.name} imports {outside}"


@pytest.mark.parametrize("name", ["errors.py", "article.py", "messages.py", "error_texts.py"])
def test_errors_and_article_import_nothing_from_the_project(name: str) -> None:
    # but errors' Arabic texts (error_texts), which take the form's labels from the table of
    # messages, itself a leaf
    allowed = {
        "errors.py": {"search.error_texts"},
        "error_texts.py": {"search.messages"},
    }.get(name, set())
    assert project(imports(PACKAGE / name)) == allowed


def test_query_imports_only_errors() -> None:
    assert project(imports(PACKAGE / "query.py")) == {"search.errors"}


def test_only_the_web_package_imports_the_web_stack() -> None:
    web = PACKAGE / "web"
    for path in MODULES:
        found = {n.split(".")[0] for n in imports(path)} & {"starlette", "jinja2", "uvicorn"}
        assert web in path.parents or not found, f"{path.relative_to(PACKAGE)} imports {found}"


def test_the_web_package_uses_the_library_not_an_engine() -> None:
    for path in sorted((PACKAGE / "web").glob("*.py")):
        engine = {n for n in project(imports(path)) if n.startswith("search.engine")}
        assert not engine, f"web/{path.name} imports {engine}"


def test_render_imports_no_engine_and_no_click() -> None:
    names = set().union(*(imports(path) for path in (PACKAGE / "render").glob("*.py")))
    assert "search.engine" not in names
    assert not {n for n in names if n.split(".")[0] in ("click", "whoosh")}


CLI_MODULES = sorted((PACKAGE / "cli").glob("*.py"))


def test_cli_imports_only_the_public_api_stdlib_and_click() -> None:
    names = set().union(*(imports(path) for path in CLI_MODULES))
    # from search import ..., nothing deeper but its own modules; and bahth serve's web shell,
    # the serve extra's
    outside = {n for n in project(names) if n != "search.cli" and not n.startswith("search.cli.")}
    assert outside == {"search", "search.web"}
    others = {n.split(".")[0] for n in names} - {"search", "click", "__future__"}
    assert others <= sys.stdlib_module_names, others - sys.stdlib_module_names


def test_cli_uses_only_names_the_api_exports() -> None:
    used = {
        alias.name
        for path in CLI_MODULES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "search"
        for alias in node.names
    }
    assert used and used <= set(search.__all__)


# --- help --------------------------------------------------------------------------------------

COMMANDS = sorted(main.commands)


def test_the_cli_has_the_documented_commands() -> None:
    assert set(COMMANDS) >= {"index", "rebuild", "delete", "search", "show", "stats", "analyze"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    help_text = main.commands[command].help
    assert help_text is not None and "Example:" in help_text


def test_main_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "Example:" in result.stdout
    for command in COMMANDS:
        assert command in result.stdout


# --- package data ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["stopwords.txt", "lexicon.tsv.gz", "protected.txt"])
def test_data_files_ship_inside_the_package(name: str) -> None:
    data = resources.files(search.arabic).joinpath("data", name)
    assert data.is_file()
    assert len(data.read_bytes()) > 0
    assert (
        Path(str(data)).resolve().parent == Path(search.arabic.__file__).resolve().parent / "data"
    )


def test_data_loads_from_the_installed_package() -> None:
    assert len(stopwords()) > 250 and "الذين" in stopwords()
    assert len(word_counts()) > 1000
    assert len(protected_words()) > 10
    assert search.stem("لبوتين") == "بوتين"  # uses the protected list


@pytest.mark.parametrize(
    "name",
    [
        "templates/base.html",
        "templates/results.html",
        "templates/article.html",
        "static/bahth.css",
    ],
)
def test_web_templates_and_style_ship_inside_the_package(name: str) -> None:
    import search.web

    assert resources.files(search.web).joinpath(name).is_file()


def test_py_typed_ships() -> None:
    assert resources.files(search).joinpath("py.typed").is_file()


# --- lint --------------------------------------------------------------------------------------


def test_ruff_check_is_clean() -> None:
    beside = Path(sys.executable).with_name("ruff")
    ruff = str(beside) if beside.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed (it is in the test extra: pip install -e '.[test]')")
    result = subprocess.run(
        [ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_no_error_in_the_package(tmp_path: Path) -> None:
    """The package type-checks (``[tool.mypy]`` in pyproject.toml): no error, no blanket
    ignore; a fresh cache, so the answer is this tree's."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "search"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- importing, and the doctests -------------------------------------------------------------

_IMPORT_EVERYTHING = """
import importlib, json, logging, os, pkgutil, sys, threading
environ = dict(os.environ)
import search
names = sorted(m.name for m in pkgutil.walk_packages(search.__path__, "search."))
for name in names:
    importlib.import_module(name)
caches = {
    f"{module}.{function}": getattr(sys.modules[module], function).cache_info().currsize
    for module, function in [
        ("search.arabic.lexicon", "word_counts"),
        ("search.arabic.stem", "protected_words"),
        ("search.arabic.stem", "stem"),
        ("search.arabic.stopwords", "stopwords"),
    ]
}
print(json.dumps({
    "modules": names,
    "caches": caches,
    "threads": threading.active_count(),
    "environ_changed": dict(os.environ) != environ,
    "log_handlers": len(logging.getLogger().handlers),
    "files": sorted(os.listdir(".")),
}))
"""


def test_importing_every_module_has_no_side_effects(tmp_path: Path) -> None:
    # pytest imports every module under search/ to collect its doctests (--doctest-modules).
    env = {k: v for k, v in os.environ.items() if k != "BAHTH_INDEX"}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    found = json.loads(done.stdout)
    assert {module_name(path) for path in MODULES} == {"search", *found["modules"]}
    # no data loaded (the lexicon takes seconds), no thread, no file, no setting changed
    assert set(found["caches"].values()) == {0}, found["caches"]
    assert found["threads"] == 1
    assert not found["environ_changed"]
    assert found["log_handlers"] == 0
    assert found["files"] == []


# --- the test tiers (pyproject.toml) --------------------------------------------------------------

# Plain `pytest` is the fast tier; CI runs it and the slow one, as the README says to.
TEST_COMMAND = "pip install -e '.[test]' && pytest -n 2 -m 'not corpus and not long'"


def collect(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``pytest --collect-only -q arguments`` in the checkout, configured by pyproject alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *arguments,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_pytest_collects_the_doctests_of_search_and_not_benchmarks() -> None:
    # What plain `pytest`, the fast tier, collects.
    done = collect()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    items = [line for line in done.stdout.splitlines() if "::" in line]
    collected = {item.split("::")[0] for item in items}
    assert "tests/test_package.py" in collected
    with_examples = {
        path.relative_to(ROOT).as_posix()
        for path in MODULES
        if ">>>" in path.read_text(encoding="utf-8")
    }
    assert {"search/query.py", "search/ingest/dates.py", "search/snippets.py"} <= with_examples
    assert {c for c in collected if c.startswith("search/")} == with_examples
    assert not {c for c in collected if not c.startswith(("tests/", "search/"))}


@pytest.mark.slow
def test_a_test_left_out_of_ci_is_out_of_the_fast_tier() -> None:
    # So `pytest -m "not slow"` is the fast tier too: a corpus or long test is marked slow.
    done = collect("-m", "(corpus or long) and not slow")
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout[-3000:]


def test_ci_runs_the_test_command_of_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick_start, re.DOTALL)
    assert len(blocks) == 2 and blocks[1].strip() == TEST_COMMAND
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines()


# --- what a command imports -----------------------------------------------------------------------

_MODULES_OF_A_RUN = """
import json, sys
from search.cli import main
main(sys.argv[2:], prog_name="bahth", standalone_mode=False)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
"""
ENGINE_LIBRARIES = {"whoosh", "tantivy"}
WEB_STACK = {"starlette", "jinja2", "uvicorn", "search.web"}


def modules_of_a_run(tmp_path: Path, *arguments: str | Path) -> set[str]:
    """The modules a fresh ``bahth arguments`` has imported when it is done, and their
    top-level packages."""
    found = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAHTH_")}
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_OF_A_RUN, found, *arguments],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    names = set(json.loads(found.read_text(encoding="utf-8")))
    return names | {name.split(".")[0] for name in names}  # whoosh for whoosh.query


def test_help_imports_no_engine_no_searcher_no_web_stack(tmp_path: Path) -> None:
    # Start-up: `bahth --help` is click and the command modules, nothing that opens an index.
    found = modules_of_a_run(tmp_path, "--help")
    assert not found & (ENGINE_LIBRARIES | WEB_STACK)
    assert not found & {"search.searcher", "search.indexer", "search.spelling", "marisa_trie"}


def test_a_search_imports_its_engine_only_and_no_web_stack(
    tmp_path: Path, seeds_index: Path, engine: str
) -> None:
    found = modules_of_a_run(tmp_path, "search", "بوتين", "--index", seeds_index)
    assert engine in found
    assert not found & (ENGINE_LIBRARIES - {engine})
    assert not found & (WEB_STACK | {"search.indexer"})


# --- the installed wheel: search/ needs nothing from the checkout ---------------------------------

# The checkout's other top-level packages: tooling and tests, which the wheel does not ship.
CHECKOUT_ONLY = {"benchmarks", "tools", "tests"}


def distribution_name(requirement: str) -> str:
    """The normalized distribution name of a requirement (``whoosh-reloaded==2.7.5``)."""
    name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_search_imports_only_itself_the_stdlib_and_its_dependencies() -> None:
    # An import of benchmarks/, tools/ or tests/ works in a checkout and nowhere else (the
    # lexicon builder once imported benchmarks); so does one of a package only the tests install.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    requirements = [
        *project["dependencies"],
        *extras["serve"],
        *extras["parquet"],
        *extras["xapian"],
    ]
    declared = {distribution_name(r) for r in requirements}
    distributions = packages_distributions()
    for path in MODULES:
        names = {n.split(".")[0] for n in imports(path)} - {"search"} - sys.stdlib_module_names
        where = path.relative_to(PACKAGE)
        assert not names & CHECKOUT_ONLY, f"{where} imports {names & CHECKOUT_ONLY}"
        undeclared = {
            name
            for name in names
            if not {distribution_name(d) for d in distributions.get(name, [])} & declared
        }
        assert not undeclared, f"{where} imports {undeclared}, not a declared dependency"


_IMPORT_ALL_INSTALLED = """
import importlib, json, pkgutil, search
names = sorted(m.name for m in pkgutil.walk_packages(search.__path__, "search."))
for name in names:
    importlib.import_module(name)
print(json.dumps({"file": search.__file__, "modules": names}))
"""


@pytest.mark.slow
def test_the_wheel_works_installed_in_a_fresh_environment(tmp_path: Path) -> None:
    # The wheel is built from a copy of what it is made of (the build writes nothing into the
    # checkout) and installed with its dependencies, from the package index, into a venv that
    # sees no other site-packages; everything runs outside the checkout, without PYTHONPATH.
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source / "search", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("BAHTH_")}

    def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done

    pip = (sys.executable, "-m", "pip")
    run(*pip, "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source)
    (wheel,) = (tmp_path / "dist").glob("bahth-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python, bahth = venv / "bin" / "python", venv / "bin" / "bahth"
    run(*pip, "--python", python, "install", "-q", f"{wheel}[serve,xapian]")

    found = json.loads(run(python, "-c", _IMPORT_ALL_INSTALLED).stdout)
    assert Path(found["file"]).is_relative_to(venv)
    assert {module_name(path) for path in MODULES} == {"search", *found["modules"]}
    assert "Example:" in run(bahth, "--help").stdout
    # the stemmer's data and the templates ship: a real index and search of the seed articles
    index = tmp_path / "index"
    run(bahth, "index", ROOT / "seeds", "--index", index)
    results = json.loads(run(bahth, "search", "لبوتين", "--index", index, "--json").stdout)
    assert results["total"] > 0 and "بوتين" in results["hits"][0]["title"]
