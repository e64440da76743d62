"""The did-you-mean mechanism: one index per call site, the same answers as one lookup, bounded fuzzy lookups."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hypothesis import given
from hypothesis import strategies as st

from schemakit._issues import MAX_CACHED, MAX_SUGGESTED, Suggester, did_you_mean, did_you_mean_hint, suggestion_hint
from schemakit.mappings._paths import closest, closest_hint


def reference_did_you_mean(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The one-lookup reading the indexed one must reproduce exactly (difflib over every candidate)."""
    pool = [c for c in candidates if isinstance(c, str)]
    folded = word.casefold()
    exact = [c for c in pool if c.casefold() == folded and c != word]
    if exact:
        return exact[:limit]
    by_fold: dict[str, str] = {}
    for c in pool:
        by_fold.setdefault(c.casefold(), c)
    close = difflib.get_close_matches(folded, list(by_fold), n=limit, cutoff=cutoff)
    return [by_fold[c] for c in close]


def reference_closest(word: str, candidates: Iterable[str], *, limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The near-tie reading, one full comparison per candidate."""
    folded = word.casefold()
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(folded)
    scored: list[tuple[float, int, str]] = []
    for i, candidate in enumerate(candidates):
        if candidate == word:
            continue
        other = candidate.casefold()
        if other == folded:
            return [candidate]
        matcher.set_seq1(other)
        score = matcher.ratio()
        if score >= cutoff:
            scored.append((score, i, candidate))
    if not scored:
        return []
    best = max(score for score, _, _ in scored)
    near = sorted((s for s in scored if s[0] >= best - 0.05), key=lambda s: (-s[0], s[1]))
    return [candidate for _, _, candidate in near[:limit]]


names = st.text(alphabet="abcdeAB_.1", min_size=0, max_size=8)


@given(names, st.lists(names, max_size=30), st.integers(min_value=1, max_value=4))
def test_indexed_lookup_is_the_one_lookup_reading(word: str, candidates: list[str], limit: int) -> None:
    assert did_you_mean(word, candidates, limit=limit) == reference_did_you_mean(word, candidates, limit=limit)
    index = Suggester(candidates, budget=None)
    assert index.matches(word, limit=limit) == reference_did_you_mean(word, candidates, limit=limit)
    assert index.nearest(word, limit=limit) == reference_closest(word, candidates, limit=limit)
    assert closest(word, candidates, limit=limit) == reference_closest(word, candidates, limit=limit)


@given(st.lists(names, max_size=10), st.lists(names, max_size=30))
def test_one_index_answers_every_word_as_a_fresh_lookup_would(words: list[str], candidates: list[str]) -> None:
    index = Suggester(candidates, budget=None)
    for word in [*words, *words]:  # the second round is answered from the cache
        assert index.matches(word) == reference_did_you_mean(word, candidates)
        assert index.nearest(word) == reference_closest(word, candidates)


def test_pinned_hints_read_as_before() -> None:
    assert did_you_mean_hint("requird", ["required", "default", "items"]) == "did you mean 'required'?"
    assert did_you_mean_hint("Required", ["required", "default"]) == "did you mean 'required'?"
    assert did_you_mean_hint("zzz", ["required"]) is None
    assert (
        closest_hint("metadata.titel", ["metadata.title", "metadata.tags", "title"]) == "did you mean 'metadata.title'?"
    )
    assert suggestion_hint(["a", "b"]) == "did you mean 'a' or 'b'?"
    assert suggestion_hint([]) is None


def test_non_string_candidates_and_string_subclasses_are_handled() -> None:
    class Loud(str):
        def __hash__(self) -> int:
            raise RuntimeError("a caller's class must not run")

        def __eq__(self, other: object) -> bool:
            raise RuntimeError("a caller's class must not run")

    candidates: list[object] = [1, None, Loud("required"), "default"]
    found = Suggester(candidates).nearest("requird")
    assert found == ["required"] and type(found[0]) is str


def test_fuzzy_lookups_stop_after_the_budget_but_case_insensitive_matches_do_not() -> None:
    fields = [f"field_{i:04d}" for i in range(500)]
    index = Suggester(fields)
    hinted = [index.nearest(f"fiedl_{i:04d}") for i in range(100)]
    assert all(h == [f"field_{i:04d}"] for i, h in enumerate(hinted[:MAX_SUGGESTED]))
    assert all(h == [] for h in hinted[MAX_SUGGESTED:])
    assert index.exhausted and index.fuzzy_lookups == MAX_SUGGESTED
    assert index.nearest("FIELD_0400") == ["field_0400"]  # a dictionary lookup, past the budget too
    assert index.nearest("fiedl_0003") == ["field_0003"]  # asked before: from the cache
    assert not Suggester(fields, budget=None).exhausted


def test_lookups_on_a_large_candidate_set_keep_the_best_match() -> None:
    fields = [f"field_{i:05d}" for i in range(3000)]
    index = Suggester(fields)
    for i in (0, 1234, 2999):
        assert index.matches(f"fiedl_{i:05d}", limit=1) == [f"field_{i:05d}"]
        assert index.matches(f"fiedl_{i:05d}") == reference_did_you_mean(f"fiedl_{i:05d}", fields)


def test_a_session_shares_the_index_but_has_its_own_budget() -> None:
    fields = [f"field_{i:04d}" for i in range(200)]
    index = Suggester(fields, budget=None)
    for _ in range(3):  # one session per check: each gets its first MAX_SUGGESTED fuzzy suggestions
        session = index.session()
        hints = [session.matches(f"fiedl_{i:04d}", limit=1) for i in range(MAX_SUGGESTED + 5)]
        assert hints[:MAX_SUGGESTED] == [[f"field_{i:04d}"] for i in range(MAX_SUGGESTED)]
        assert hints[MAX_SUGGESTED:] == [[]] * 5
        assert session.matches("Field_0199") == ["field_0199"]
    assert index.fuzzy_lookups == 0 and not index.exhausted


def test_an_unbounded_index_remembers_a_bounded_number_of_lookups() -> None:
    index = Suggester(["alpha", "beta"], budget=None)
    for i in range(3000):
        index.nearest(f"alpa{i}")
    assert index.fuzzy_lookups == 3000
    assert len(index._ranks) <= MAX_CACHED
    assert index.nearest("alpa") == ["alpha"]
