"""P3 benchmark: near-duplicate grouping of N generated comments.

    python -m bench.bench_synthesis --n 1000000 --generator formulaic --per-paragraph

`--generator families` (default) is `bench/comment_generator.py`: planted families of reworded
comments among lexically distant unique ones. `--generator formulaic` is
`bench/formulaic_generator.py`: comments built from shared openers and templates with slots,
where comments that differ in one slot are different proposals. Without `--per-paragraph` all
comments are grouped as one paragraph (harder); with it, per paragraph as the app does.

Prints N, the wall time of grouping alone (generation excluded), the process's peak memory,
pairwise precision and recall against the planted ground truth, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

from bench.comment_generator import generate_comments, pairwise_precision_recall
from bench.formulaic_generator import generate_formulaic
from daihoi.consultation.synthesis import (
    DEFAULT_NUM_PERM,
    DEFAULT_THRESHOLD,
    group_near_duplicates,
)


def _generate(
    generator: str, n: int, seed: int
) -> tuple[list[int | None], list[tuple[int, str, str]]]:
    """Ground truth (one label per comment, None for none) and (id, text, paragraph)."""
    if generator == "formulaic":
        formulaic = generate_formulaic(n, seed=seed)
        return [c.group for c in formulaic], [
            (c.comment_id, c.text, c.paragraph) for c in formulaic
        ]
    families = generate_comments(n, seed=seed)
    return [c.family for c in families], [(c.comment_id, c.text, c.paragraph) for c in families]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of comments")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--num-perm", type=int, default=DEFAULT_NUM_PERM)
    parser.add_argument("--generator", choices=["families", "formulaic"], default="families")
    parser.add_argument("--per-paragraph", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    families, generated_comments = _generate(args.generator, args.n, args.seed)
    generated = time.perf_counter() - started
    if args.per_paragraph:
        pairs: list[tuple[int, str] | tuple[int, str, str]] = list(generated_comments)
    else:
        pairs = [(comment_id, text) for comment_id, text, _ in generated_comments]
    del generated_comments
    paragraphs = len({p[2] for p in pairs}) if args.per_paragraph else 1
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    groups = group_near_duplicates(pairs, threshold=args.threshold, num_perm=args.num_perm)
    del pairs
    grouping = time.perf_counter() - started
    grouping_cpu = _cpu_seconds() - cpu_before
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    group_of = [-(i + 1) for i in range(args.n)]  # ungrouped: a group of its own
    for number, group in enumerate(groups):
        for member in group.members:
            group_of[member - 1] = number
    precision, recall = pairwise_precision_recall(families, group_of)
    grouped = sum(group.size for group in groups)
    n_groups = len(groups)
    del groups

    print(f"comments                 {args.n:,} ({args.generator}, {paragraphs} paragraph(s))")
    print(f"threshold / num_perm     {args.threshold} / {args.num_perm}")
    print(f"generation (excluded)    {generated:.1f} s")
    print(f"grouping wall time       {grouping:.1f} s")
    print(f"grouping CPU time        {grouping_cpu:.1f} s (user + system, this process)")
    print(
        f"peak memory (maxrss)     {peak_kib / 1024:.0f} MiB "
        f"(after generation {rss_before / 1024:.0f} MiB)"
    )
    print(f"groups (size >= 2)       {n_groups:,} holding {grouped:,} comments")
    print(f"pairwise precision       {precision:.4f}")
    print(f"pairwise recall          {recall:.4f}")
    print(
        f"machine                  {cpu_model()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"load average {load_before:.1f} before grouping, {os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    main()
