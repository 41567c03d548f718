"""Fetch the Anserini jar for ``lucene-arabic``: ``python -m benchmarks.peers.fetch_anserini``.

The jar (Lucene 10 and Anserini's indexer and searcher, about 117 MB) is not on PyPI by itself; it
ships inside the pyserini 2.4.0 source distribution. We let pip download that sdist, without its
dependencies (torch and friends, about 6 GB) and despite its ``Requires-Python >=3.12``, then take
the one jar out of it. Nothing of pyserini is installed. Running it again is a no-op once the jar is
in place and matches its known SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

from benchmarks.peers._common import CACHE_DIR, JAR_NAME

PYSERINI = "pyserini==2.4.0"
SDIST_NAME = "pyserini-2.4.0.tar.gz"
JAR_MEMBER = f"pyserini-2.4.0/pyserini/resources/jars/{JAR_NAME}"
# Measured on the jar from the PyPI sdist; a mismatch means a truncated or different file.
JAR_SHA256 = "375848a9bb0a7514d2a8fe13df20086961570991bf20343abf0e5312af977def"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def download_sdist(cache: Path) -> Path:
    """Download the pyserini sdist into `cache` with this interpreter's pip; return its path."""
    command = [
        sys.executable, "-m", "pip", "download", PYSERINI,
        "--no-deps",  # only the archive: we want its jar, not pyserini's 6 GB of dependencies
        "--ignore-requires-python",  # pyserini 2.4 says >=3.12; we never import it
        "--no-binary", "pyserini",  # the jar is in the sdist; insist on it if a wheel ever appears
        "--dest", str(cache),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    sdist = cache / SDIST_NAME
    if not sdist.is_file():
        raise FileNotFoundError(f"pip finished but {sdist} is missing")
    return sdist


def extract_jar(sdist: Path, jar: Path) -> None:
    """Copy the jar out of the sdist via a temporary file, so a partial jar never looks done."""
    partial = jar.with_name(jar.name + ".partial")
    with tarfile.open(sdist, "r:gz") as archive:
        source = archive.extractfile(JAR_MEMBER)
        if source is None:
            raise FileNotFoundError(f"{JAR_MEMBER} not found in {sdist}")
        with source, partial.open("wb") as target:
            while block := source.read(1 << 20):
                target.write(block)
    if (found := sha256(partial)) != JAR_SHA256:
        partial.unlink()
        raise ValueError(f"{JAR_NAME} from {sdist} has SHA-256 {found}, expected {JAR_SHA256}")
    partial.replace(jar)


def fetch(cache: Path = CACHE_DIR, *, keep_sdist: bool = False) -> Path:
    """Make sure `cache` holds the verified jar; download and extract only what is missing."""
    cache.mkdir(parents=True, exist_ok=True)
    jar = cache / JAR_NAME
    if jar.is_file() and sha256(jar) == JAR_SHA256:
        return jar
    sdist = cache / SDIST_NAME
    if not sdist.is_file():
        sdist = download_sdist(cache)
    extract_jar(sdist, jar)
    if not keep_sdist:
        sdist.unlink()  # 112 MB that only repeats the jar
    return jar


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peers.fetch_anserini",
        description=f"Download {SDIST_NAME} with pip and extract {JAR_NAME} (lucene-arabic peer).",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=CACHE_DIR,
        help="directory for the jar (default: benchmarks/.cache)",
    )
    parser.add_argument("--keep-sdist", action="store_true", help="keep the downloaded sdist")
    args = parser.parse_args(argv)
    try:
        jar = fetch(args.cache, keep_sdist=args.keep_sdist)
    except (OSError, ValueError, subprocess.CalledProcessError, tarfile.TarError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(jar)
    return 0


if __name__ == "__main__":
    sys.exit(main())
