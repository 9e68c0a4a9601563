"""The guard against its corpus: every disguised identifier is found, no ordinary QI text is flagged.

The rates are printed by `make bench` (bench/guard_bench.py); here they are held at 100 % and 0 %.
"""

from __future__ import annotations

import pytest

from openqi.privacy import Finding, find_personal_data, find_personal_data_in_filename
from openqi.privacy.tests.corpus import TODAY, Case, negatives, positives


def findings(case: Case) -> list[Finding]:
    detect = find_personal_data_in_filename if case.file_name else find_personal_data
    return detect(case.text, today=TODAY)


def is_found(case: Case) -> bool:
    return any(
        f.kind is case.kind and (case.excerpt is None or f.excerpt == case.excerpt) for f in findings(case)
    )


def test_the_corpus_is_large_and_covers_every_shape() -> None:
    pos, neg = positives(), negatives()
    assert len(pos) >= 500 and len(neg) >= 500
    assert len({c.shape for c in pos}) >= 80
    assert len({c.text for c in pos}) == len(pos), "duplicate positives"


def test_every_positive_is_found() -> None:
    missed = [f"{c.shape}: {c.text!r}" for c in positives() if not is_found(c)]
    assert not missed, f"{len(missed)} missed:\n" + "\n".join(missed)


def test_no_negative_is_flagged() -> None:
    flagged = [
        f"{c.shape}: {c.text!r} -> {[(f.kind.value, c.text[f.start : f.end]) for f in fs]}"
        for c in negatives()
        if (fs := findings(c))
    ]
    assert not flagged, f"{len(flagged)} false positives:\n" + "\n".join(flagged)


@pytest.mark.parametrize("case", [c for c in positives() if c.kind is not None and "reference" in c.shape])
def test_a_finding_points_at_the_text_as_typed(case: Case) -> None:
    # The message quotes what was typed, and what it reads as, so the person can find and fix it.
    [finding] = [f for f in findings(case) if f.kind is case.kind]
    typed = case.text[finding.start : finding.end]
    assert "&#" in typed
    assert f"({' '.join(typed.split())}, which reads as " in finding.message
