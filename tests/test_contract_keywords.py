"""unknown_keys: one report of the keys a contract object does not define, for every reader."""

from __future__ import annotations

from typing import Any

from schemakit._contract.keywords import unknown_keys
from schemakit._issues import MAX_SUGGESTED, Issue

FIELD_KEYWORDS = ("type", "required", "default", "enum", "items", "properties", "description")


def test_a_misspelled_keyword_is_a_warning_at_its_path_with_a_hint() -> None:
    (issue,) = unknown_keys({"type": "string", "requird": True}, FIELD_KEYWORDS, ("properties", "title"))
    assert issue == Issue(
        "unknown_keyword",
        ("properties", "title", "requird"),
        "'requird' is not a key of this object; it is ignored",
        "did you mean 'required'?",
        "warning",
    )


def test_a_case_insensitive_match_comes_first() -> None:
    (issue,) = unknown_keys({"Required": True}, FIELD_KEYWORDS, ())
    assert issue.hint == "did you mean 'required'?"
    (issue,) = unknown_keys({"ITEMS": {}}, FIELD_KEYWORDS, ())
    assert issue.hint == "did you mean 'items'?"


def test_the_usual_typos_get_their_keyword() -> None:
    hints = {i.path[-1]: i.hint for i in unknown_keys({"defualt": 1, "item": {}, "enums": []}, FIELD_KEYWORDS, ())}
    assert hints == {
        "defualt": "did you mean 'default'?",
        "item": "did you mean 'items'?",
        "enums": "did you mean 'enum'?",
    }


def test_known_keys_give_nothing_and_order_follows_the_mapping() -> None:
    assert unknown_keys({"type": "string", "required": True}, FIELD_KEYWORDS, ()) == []
    found = unknown_keys({"zz": 1, "type": "x", "aa": 2}, FIELD_KEYWORDS, ())
    assert [i.path for i in found] == [("zz",), ("aa",)]


def test_nothing_close_lists_the_known_keys_or_gives_no_hint() -> None:
    (issue,) = unknown_keys({"xyzzy": 1}, ("alpha", "beta"), ())
    assert issue.hint == "keys: alpha, beta"
    (issue,) = unknown_keys({"xyzzy": 1}, ("alpha", "beta"), (), what="keyword")
    assert issue.hint == "keywords: alpha, beta"
    assert issue.message == "'xyzzy' is not a keyword of this object; it is ignored"
    (issue,) = unknown_keys({"xyzzy": 1}, ("alpha", "beta"), (), list_known=False)
    assert issue.hint is None


def test_code_severity_and_message_are_the_callers() -> None:
    (issue,) = unknown_keys(
        {"colections": {}},
        ("buckets", "collections"),
        (),
        code="invalid_manifest",
        severity="error",
        message="unknown manifest key {key}",
    )
    assert (issue.code, issue.severity, issue.message) == (
        "invalid_manifest",
        "error",
        "unknown manifest key 'colections'",
    )
    assert issue.hint == "did you mean 'collections'?"


class Unprintable:
    def __repr__(self) -> str:
        raise RuntimeError("a caller's object must not be run")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("a caller's object must not be run")

    __hash__ = object.__hash__


class LoudStr(str):
    def __repr__(self) -> str:
        raise RuntimeError("a caller's class must not be run")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("a caller's class must not be run")

    def __hash__(self) -> int:
        return str.__hash__(self)


def test_keys_that_are_not_strings_are_described_never_run() -> None:
    mapping: dict[Any, Any] = {10**5000: 1, Unprintable(): 2, 3: 3, None: 4}
    found = unknown_keys(mapping, FIELD_KEYWORDS, ("p",))
    assert [i.path for i in found] == [
        ("p", "an integer of 5001 digits"),
        ("p", "Unprintable (unprintable)"),
        ("p", "integer 3"),
        ("p", "null None"),
    ]
    assert found[0].message == "an integer of 5001 digits is not a key of this object; it is ignored"
    assert all(i.hint == "keys: " + ", ".join(FIELD_KEYWORDS) for i in found)


def test_a_string_subclass_key_is_read_as_its_text() -> None:
    found = unknown_keys({LoudStr("requird"): 1, LoudStr("type"): 2}, FIELD_KEYWORDS, ())
    assert [(i.path, i.hint) for i in found] == [(("requird",), "did you mean 'required'?")]
    assert type(found[0].path[0]) is str


def test_thousands_of_unknown_keys_get_fuzzy_hints_for_the_first_ones_only() -> None:
    known = [f"field_{i:04d}" for i in range(1000)]
    found = unknown_keys({f"fiedl_{i:04d}": 1 for i in range(1000)}, known, (), list_known=False)
    assert len(found) == 1000
    assert [i.hint for i in found[:MAX_SUGGESTED]] == [f"did you mean 'field_{i:04d}'?" for i in range(MAX_SUGGESTED)]
    assert {i.hint for i in found[MAX_SUGGESTED:]} == {None}
    # a case-insensitive match costs a dictionary lookup, so it is offered past the budget too
    many = {f"fiedl_{i:04d}": 1 for i in range(50)} | {"FIELD_0999": 1}
    assert unknown_keys(many, known, ())[-1].hint == "did you mean 'field_0999'?"
