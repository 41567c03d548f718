"""Stories (near-copies): how right they are, what they cost, and what collapsing does.

    python -m benchmarks.stories [--data ../shared/data] [--sample 10000]
                                 [--engines bahth-tantivy] [--baseline REV] [--index-dir DIR]

1. **Pairs**: on the first ``--sample`` articles of the news corpora (interleaved), the exact
   Jaccard similarity of every pair of bodies that share a shingle (an inverted index over the
   shingles: every pair with a similarity above 0), against the pairs ``search.stories`` puts
   in one story. Precision and recall at the threshold, and at others for comparison.
2. **Indexing cost**: the whole corpus built in a child process by this checkout and by the
   baseline revision (``--baseline``, checked out beside it with ``git worktree``: the code
   before stories), one after the other, per engine: seconds, peak RSS, index size, ratios.
3. **Collapsing**: on this checkout's index, 50 queries of the speed query set (25 single,
   25 multi-word): how many top-10 slots went to copies of a higher hit, and how many
   stories the top 10 show, without and with ``collapse``.
4. **Facets**: the time ``facets=True`` adds to common one-word searches (p50 and p95 ms of
   the same searches with and without, alternated).

Assignment alone (no corpus read, no index built), instead of the above:

    python -m benchmarks.stories --synthetic 1000000 [--revision HEAD]
    python -m benchmarks.stories --replay INDEX_OR_STORIES_FILE [--revision HEAD]

``Stories.assign_all`` over signatures fed in batches of 64 as the indexer feeds them:
``--synthetic N`` random ones with a few percent near-copies of a recent article (generated
from a fixed seed), ``--replay`` those of an index's stories in their order (the
assignment of a from-scratch build; the stories it holds are checked too). Each code runs in
a child process: this checkout, and the module of ``--revision`` (``git show``) when given,
whose stories must be the same. Printed: total seconds, seconds per 51,200 articles along the
way, the RSS after making the signatures and the peak.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import numpy as np

from benchmarks.core import cli
from benchmarks.core.build import build_in_child
from benchmarks.core.corpora import REPO_ROOT, interleaved, prepare
from benchmarks.core.machine import describe, one_line
from benchmarks.core.rss import peak_rss_mb
from benchmarks.speed import queryset
from search import Searcher, layout
from search import stories as st
from search import story_signatures as sig

SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def exact_pairs(bodies: list[list[str]]) -> dict[tuple[int, int], float]:
    """The exact shingle Jaccard of every pair of comparable bodies sharing a shingle."""
    sets = [
        set(found.tolist()) if len(found := sig.shingles(b)) >= sig.MIN_SHINGLES else set()
        for b in bodies
    ]
    postings: dict[int, list[int]] = collections.defaultdict(list)
    for number, shingles in enumerate(sets):
        for shingle in shingles:
            postings[shingle].append(number)
    shared: collections.Counter[tuple[int, int]] = collections.Counter()
    for holders in postings.values():
        shared.update(itertools.combinations(holders, 2))
    return {(a, b): n / (len(sets[a]) + len(sets[b]) - n) for (a, b), n in shared.items()}


def story_pairs(bodies: list[list[str]], threshold: float) -> tuple[set[tuple[int, int]], float]:
    """The pairs ``Stories`` puts in one story at ``threshold``, and the CPU seconds it took
    (signatures and assignment)."""
    saved, st.THRESHOLD = st.THRESHOLD, threshold
    try:
        stories = st.Stories.empty()
        started = time.process_time()
        labels = [stories.assign(str(n), sig.signature(body)) for n, body in enumerate(bodies)]
        seconds = time.process_time() - started
    finally:
        st.THRESHOLD = saved
    members: dict[int, list[int]] = collections.defaultdict(list)
    for number, label in enumerate(labels):
        members[label].append(number)
    pairs = {pair for group in members.values() for pair in itertools.combinations(group, 2)}
    return pairs, seconds


def evaluate_pairs(data: Path, sample: int) -> None:
    records = itertools.islice(interleaved(data, "all"), sample)
    bodies = [sig.body_words(r.get("body") or "") for _, r in records]
    print(f"\n## 1. Pairs on {len(bodies):,} articles (exact shingle Jaccard as the truth)\n")
    truth = exact_pairs(bodies)
    buckets = collections.Counter(min(int(j * 10), 9) for j in truth.values())
    print("pairs sharing a shingle, by exact Jaccard: " + ", ".join(
        f"{k / 10:.1f}-{(k + 1) / 10:.1f}: {buckets[k]:,}" for k in range(10)
    ))  # fmt: skip
    print("\n| threshold | true pairs | story pairs | precision | recall | CPU µs/article |")
    print("|---|---|---|---|---|---|")
    for threshold in SWEEP:
        wanted = {pair for pair, j in truth.items() if j >= threshold}
        found, seconds = story_pairs(bodies, threshold)
        right = len(wanted & found)
        mark = " (used)" if threshold == st.THRESHOLD else ""
        print(
            f"| {threshold:.1f}{mark} | {len(wanted):,} | {len(found):,} | "
            f"{right / max(1, len(found)):.3f} | {right / max(1, len(wanted)):.3f} | "
            f"{seconds / len(bodies) * 1e6:.0f} |"
        )
    with_copy = len({n for pair, j in truth.items() if j >= 0.8 for n in pair})
    print(f"\narticles with a near-copy (Jaccard >= 0.8): {with_copy:,} (1 in "
          f"{len(bodies) / max(1, with_copy):.0f})")  # fmt: skip


def checkout(revision: str, where: Path) -> Path:
    """A work tree of ``revision`` at ``where`` (git worktree, detached)."""
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-f", str(where), revision],
        cwd=REPO_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return where


def indexing_cost(data: Path, engines: list[str], baseline: str, scratch: Path) -> Path | None:
    """Build with this checkout and the baseline; the path of this checkout's last index."""
    corpus = prepare(data, "all", scratch / "corpus.jsonl")
    print(f"\n## 2. Indexing cost: {corpus.articles:,} articles, this checkout vs {baseline}\n")
    base = checkout(baseline, scratch / "baseline")
    print("| engine | code | seconds | CPU seconds | peak RSS MB | index MB | vs baseline |")
    print("|---|---|---|---|---|---|---|")
    ours_index = None
    try:
        for engine in engines:
            figures = {}
            for label, root in (("baseline", base), ("stories", REPO_ROOT)):
                index = scratch / f"{engine}-{label}"
                built = build_in_child(engine, corpus.path, index, None, root=root)
                if not built.ok:
                    print(f"| {engine} | {label} | failed: {built.failed} | | | | |")
                    continue
                figures[label] = built.figures
                if label == "stories":
                    ours_index = index
            if len(figures) < 2:
                continue
            before, after = figures["baseline"], figures["stories"]
            for label, f in figures.items():
                rss = max(f["rss_mb"], f["rss_children_mb"])
                ratio = (
                    f"time {after['seconds'] / before['seconds']:.2f}x, "
                    f"CPU {after['cpu_seconds'] / before['cpu_seconds']:.2f}x, "
                    f"RSS {rss / max(before['rss_mb'], before['rss_children_mb']):.2f}x, "
                    f"size {after['bytes_on_disk'] / before['bytes_on_disk']:.2f}x"
                    if label == "stories"
                    else ""
                )
                print(
                    f"| {engine} | {label} | {f['seconds']:.1f} | {f['cpu_seconds']:.1f} | "
                    f"{rss:.0f} | {f['bytes_on_disk'] / 1e6:.0f} | {ratio} |"
                )
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO_ROOT,
                       check=False, capture_output=True)  # fmt: skip
    return ours_index


def real_queries(count: int) -> list[str]:
    loaded = queryset.load()
    chosen = []
    for category in ("single", "multi"):
        chosen += [q.text for q in loaded if q.category == category][: count // 2]
    return chosen


def collapsing(index: Path) -> None:
    queries = real_queries(50)
    print(f"\n## 3. Collapsing: top 10 of {len(queries)} queries ({index.name})\n")
    copies_before = stories_before = stories_after = 0
    affected = 0
    with Searcher(index) as searcher:
        for query in queries:
            flat = searcher.search(query, limit=10)
            seen: set[str] = set()
            taken = 0
            for hit in flat:
                if hit.id in seen:
                    taken += 1
                seen |= {hit.id, *searcher.copies(hit.id)}
            collapsed = searcher.search(query, limit=10, collapse=True)
            copies_before += taken
            affected += taken > 0
            stories_before += len(flat.hits) - taken
            stories_after += len(collapsed.hits)
    print(
        f"- top-10 slots taken by a copy of a higher hit: {copies_before} of "
        f"{10 * len(queries)} ({affected} queries); with --collapse: 0"
    )
    print(f"- stories shown in the top 10s: {stories_before} without, {stories_after} with "
          "--collapse")  # fmt: skip


def facets_cost(index: Path, rounds: int = 5) -> None:
    queries = [q.text for q in queryset.load() if q.category == "common"][:40]
    plain: list[float] = []
    faceted: list[float] = []
    with Searcher(index) as searcher:
        for query in queries:  # warm the caches of both paths
            searcher.search(query, facets=True)
        for _ in range(rounds):
            for query in queries:
                for facets, times in ((False, plain), (True, faceted)):
                    started = time.perf_counter()
                    searcher.search(query, facets=facets)
                    times.append((time.perf_counter() - started) * 1000)
    q = statistics.quantiles
    print(f"\n## 4. Facets: {len(queries)} common one-word queries x {rounds} ({index.name})\n")
    for name, times in (("without", plain), ("with --facets", faceted)):
        cuts = q(times, n=20)
        print(f"- {name}: p50 {statistics.median(times):.1f} ms, p95 {cuts[18]:.1f} ms")
    print(f"- added at p50: {statistics.median(faceted) - statistics.median(plain):.1f} ms")


WINDOW = 51_200  # articles per timed stretch of assignment
FEED = 64  # articles per assign_all, as search.engine.core.feeding.BATCH_ARTICLES


def synthetic_signatures(count: int, seed: int = 24) -> tuple[list[str], np.ndarray]:
    """``count`` random signatures: 3 % too short (zeros), 4 % near-copies of one of the last
    20,000 (0-24 of 64 values changed: mostly one story), 1 % looser ones (24-48 changed:
    mostly not), the rest independent."""
    rng = np.random.default_rng(seed)
    made = rng.integers(1, 2**16, (count, sig.PERMUTATIONS), dtype=np.uint16)
    kind = rng.random(count)
    for n in np.flatnonzero((kind < 0.05) & (np.arange(count) > 0)).tolist():
        made[n] = made[max(0, n - int(rng.integers(1, 20_000)))]
        low, high = (0, 24) if kind[n] < 0.04 else (24, 48)
        changed = rng.choice(sig.PERMUTATIONS, int(rng.integers(low, high)), replace=False)
        made[n, changed] = rng.integers(1, 2**16, len(changed), dtype=np.uint16)
    made[kind > 0.97] = 0
    return [f"s{n}" for n in range(count)], made


def replayed_signatures(where: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The ids (their keys), signatures and stories an index's stories hold, in the order they
    were assigned; or those of a stories manifest, or of an older Bahth's npz."""
    if where.is_dir():
        stories = st.Stories.read(layout.require_current(where))
    elif where.suffix == ".npz":
        stories = st.Stories._read_whole(where)
    else:
        stories = st.Stories.load(where)
    keys, signatures, story_numbers = stories.held()
    return [f"k{key}" for key in keys.tolist()], signatures, story_numbers


def stories_module(revision: str | None) -> ModuleType:
    """``search.stories``, or its text at ``revision`` imported beside it."""
    if revision is None:
        return st
    text = subprocess.run(
        ["git", "show", f"{revision}:search/stories.py"],
        cwd=REPO_ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    path = Path(tempfile.mkdtemp(prefix="bahth-stories-")) / "stories.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("search._stories_at_revision", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assign_child(args: argparse.Namespace) -> None:
    """In a child process: assign, write the stories to ``--out``, print the figures."""
    module = stories_module(args.revision)
    if args.replay:
        ids, signatures, _ = replayed_signatures(args.replay)
    else:
        ids, signatures = synthetic_signatures(args.synthetic)
    comparable = [bool(c) for c in signatures.any(axis=1)]
    before = peak_rss_mb()
    stories = module.Stories.empty()
    found: list[int] = []
    windows: list[float] = []
    started = window = time.perf_counter()
    cpu = time.process_time()
    for start in range(0, len(ids), FEED):
        batch = range(start, min(start + FEED, len(ids)))
        found += stories.assign_all(
            [(ids[n], signatures[n].tobytes() if comparable[n] else None) for n in batch]
        )
        if batch.stop % WINDOW == 0 or batch.stop == len(ids):
            windows.append(time.perf_counter() - window)
            window = time.perf_counter()
    seconds = time.perf_counter() - started
    np.save(args.out, np.array(found, dtype=np.int64))
    figures = {"seconds": seconds, "cpu": time.process_time() - cpu, "windows": windows}
    print(json.dumps({**figures, "rss_before_mb": before, "peak_mb": peak_rss_mb()}))


def assignment(args: argparse.Namespace) -> None:
    """Run ``assign_child`` for this checkout and ``--revision``; compare and print."""
    source = f"--replay {args.replay}" if args.replay else f"--synthetic {args.synthetic:,}"
    print(f"\n## Assigning stories: {source}, in batches of {FEED}\n")
    print("| code | seconds | CPU s | first / last 51,200 s | RSS before / peak MB | stories |")
    print("|---|---|---|---|---|---|")
    results = {}
    windows: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bahth-stories-") as temp:
        for revision in [None, args.revision] if args.revision else [None]:
            out = Path(temp) / f"{revision or 'checkout'}.npy"
            command = [sys.executable, "-m", "benchmarks.stories", "--child", "--out", str(out)]
            command += ["--replay", str(args.replay)] if args.replay else []
            command += ["--synthetic", str(args.synthetic)]
            command += ["--revision", revision] if revision else []
            done = subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True)
            f = json.loads(done.stdout.decode().strip().splitlines()[-1])
            results[revision] = found = np.load(out)
            w = f["windows"]
            print(
                f"| {revision or 'this checkout'} | {f['seconds']:.1f} | {f['cpu']:.1f} | "
                f"{w[0]:.2f} / {w[-1]:.2f} | {f['rss_before_mb']:.0f} / {f['peak_mb']:.0f} | "
                f"{len(np.unique(found)):,} |"
            )
            windows[revision or "this checkout"] = " ".join(f"{x:.2f}" for x in w)
    print(f"\nseconds per {WINDOW:,} articles, in order:")
    for code, figures in windows.items():
        print(f"- {code}: {figures}")
    ours = results[None]
    if args.revision:
        same = int(np.count_nonzero(ours == results[args.revision]))
        print(f"\nsame story as {args.revision}: {same:,} of {len(ours):,} articles")
    if args.replay:
        saved = replayed_signatures(args.replay)[2]
        # Story numbers differ only by the file's starting number if it was one fresh build.
        same = int(np.count_nonzero(ours - ours[0] == saved - saved[0]))
        print(f"same story as the file's: {same:,} of {len(ours):,} articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cli.add_data(parser)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument(
        "--engines", default="bahth-tantivy", help="comma-separated (bahth-whoosh takes ~7 min)"
    )
    parser.add_argument("--baseline", default="84802a6", help="the revision before stories")
    parser.add_argument("--index-dir", type=Path, help="keep the indexes here (default: temp)")
    parser.add_argument("--skip-build", action="store_true", help="only part 1")
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="assignment alone")
    parser.add_argument(
        "--replay", type=Path, help="assignment alone: an index, a stories manifest or a npz"
    )
    parser.add_argument("--revision", help="assignment alone: also the code of this revision")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        assign_child(args)
        return
    if args.replay or "--synthetic" in sys.argv:
        print(f"# Stories benchmark: assignment\n\n{one_line(describe())}")
        assignment(args)
        return
    print(f"# Stories benchmark\n\n{one_line(describe())}")
    evaluate_pairs(args.data, args.sample)
    if args.skip_build:
        return
    with tempfile.TemporaryDirectory(prefix="bahth-stories-") as temp:
        scratch = args.index_dir or Path(temp)
        scratch.mkdir(parents=True, exist_ok=True)
        index = indexing_cost(args.data, args.engines.split(","), args.baseline, scratch)
        if index is not None:
            collapsing(index)
            facets_cost(index)


if __name__ == "__main__":
    main()
