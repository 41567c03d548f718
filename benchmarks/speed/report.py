"""The JSON file of a run: ``benchmarks/results/speed-<corpus>-<time>.json`` (gitignored)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

from benchmarks.speed.results import Step
from benchmarks.speed.targets import Verdict


def options(args: argparse.Namespace) -> dict[str, object]:
    """The options that shape the figures (no paths: they say nothing about speed)."""
    return {
        "corpus": args.corpus,
        "limit": args.limit,
        "scale": args.scale,
        "bahth": args.bahth,
        "procs": args.procs,
        "peers": args.peers,
        "peer_procs": args.peer_procs,
        "query_procs": args.query_procs,
        "per_category": args.per_category,
        "warmup": args.warmup,
        "k": args.k,
    }


def _finite(value: object) -> object:
    # JSON has no NaN: an empty summary's percentiles become null.
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def write_json(
    args: argparse.Namespace,
    machine: dict[str, object],
    steps: list[Step],
    verdicts: list[list[Verdict]],
) -> Path:
    """Write everything measured, raw query timings included; return the file's path."""
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.results / f"speed-{args.corpus}-{stamp}.json"
    document = {
        "machine": machine,
        "options": options(args),
        "steps": [
            {**dataclasses.asdict(step), "targets": [dataclasses.asdict(v) for v in step_verdicts]}
            for step, step_verdicts in zip(steps, verdicts, strict=True)
        ],
    }
    path.write_text(json.dumps(_finite(document), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
