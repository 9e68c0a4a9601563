"""The personal-data guard against its corpus: detection and false-positive rates, and time per KB.

Run with ``.venv/bin/python bench/guard_bench.py`` (part of ``make bench``). The corpus is
``openqi/privacy/tests/corpus.py``: identifiers in every disguise the guard claims to see through
(positives) and ordinary QI text, including the same disguises round numbers with a wrong check digit
(negatives). A positive counts as detected when a finding of its kind (and, for NHS numbers, of that
very number) is reported; a negative is a false positive when anything at all is reported. Times are
medians on one core, for the corpus and for a long story log with and without Markdown.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from openqi.privacy import Finding, find_personal_data, find_personal_data_in_filename
from openqi.privacy.tests.corpus import KNOWN_MISSES, STORY_LOG, TODAY, Case, negatives, positives


def findings(case: Case) -> list[Finding]:
    detect = find_personal_data_in_filename if case.file_name else find_personal_data
    return detect(case.text, today=TODAY)


def detected(case: Case) -> bool:
    return any(
        f.kind is case.kind and (case.excerpt is None or f.excerpt == case.excerpt) for f in findings(case)
    )


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:.1f} %" if total else "-"


def by_group(cases: Iterable[Case], key: Callable[[Case], str], ok: Callable[[Case], bool]) -> None:
    groups: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        groups[key(case)].append(ok(case))
    for name, results in sorted(groups.items()):
        print(f"  {name:<46} {rate(sum(results), len(results))}")


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def timing(label: str, texts: list[Case], runs: int) -> None:
    size_kb = sum(len(c.text.encode()) for c in texts) / 1024
    ms = median_ms(lambda: [findings(c) for c in texts], runs)
    print(f"  {label:<46} {size_kb:8.1f} KB {ms:9.1f} ms {ms / size_kb:7.3f} ms/KB")


def main() -> None:
    pos, neg = positives(), negatives()
    print(f"Python {platform.python_version()} on {platform.machine()}; detection judged on {TODAY}")
    print(f"Corpus: {len(pos)} positives in {len({c.shape for c in pos})} shapes, {len(neg)} negatives")

    found = [detected(c) for c in pos]
    flagged = [bool(findings(c)) for c in neg]
    print(f"Detection rate:      {rate(sum(found), len(pos))}")
    print(f"False-positive rate: {rate(sum(flagged), len(neg))}")

    print("Detection by kind:")
    by_group(pos, lambda c: str(c.kind), detected)
    missed = [c for c, ok in zip(pos, found, strict=True) if not ok]
    if missed:
        print("Missed:")
        for case in missed:
            print(f"  {case.shape}: {case.text!r}")
    print("False positives by group (wrong-check-digit disguises together):")
    group = lambda c: "wrong check digit" if c.shape.startswith("wrong") else c.shape  # noqa: E731
    by_group(neg, group, lambda c: bool(findings(c)))
    wrongly = [c for c, bad in zip(neg, flagged, strict=True) if bad]
    if wrongly:
        print("Flagged:")
        for case in wrongly:
            print(f"  {case.shape}: {case.text!r}")

    print("Known limits (not counted above; see docs/adr/0009-personal-data-guard.md):")
    for case in KNOWN_MISSES:
        print(f"  {case.shape:<46} {'found' if detected(case) else 'missed'}")

    print("Time (median of runs, one core):")
    timing("whole corpus", pos + neg, 5)
    plain_log = STORY_LOG.replace("**", "").replace("*", "")
    long_log = [Case(STORY_LOG * 40, None, "story log")]
    long_plain = [Case(plain_log * 40, None, "story log")]
    timing("story log with Markdown, 40 entries", long_log, 9)
    timing("story log, plain text, 40 entries", long_plain, 9)
    short = [Case("12 of 15 referrals triaged in time.", None, "comment")] * 1000
    timing("1,000 short plain comments (an import)", short, 5)


if __name__ == "__main__":
    main()
