"""Blob data in every form the contract accepts, with MIME types that fit the field.

Each file kind lists the media it accepts as ``(mime, extension, magic,
inferable)``. ``inferable`` marks media whose inferred kind is unambiguously
that kind: only those are used with ``"type": "auto"`` (or no type) and as URL
extensions. The others (``image/gif`` for a video, ``text/csv`` for text or
excel) fit only when the blob states its type, so they appear only as a
declared MIME type with an explicit blob type.
"""

from __future__ import annotations

import base64
from typing import Any, NamedTuple

from hypothesis import strategies as st

from schemakit._contract.bucket import FILE_TYPES


class Medium(NamedTuple):
    mime: str
    extension: str
    magic: bytes
    inferable: bool


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The first medium of each kind is the one counterexamples shrink to.
MEDIA: dict[str, tuple[Medium, ...]] = {
    "image": (
        Medium("image/png", "png", b"\x89PNG\r\n\x1a\n", True),
        Medium("image/jpeg", "jpg", b"\xff\xd8\xff", True),
        Medium("image/gif", "gif", b"GIF89a", True),
        Medium("image/webp", "webp", b"RIFF\x00\x00\x00\x00WEBP", True),
    ),
    "video": (
        Medium("video/mp4", "mp4", b"\x00\x00\x00\x18ftypmp42", True),
        Medium("video/webm", "webm", b"\x1aE\xdf\xa3", True),
        Medium("video/quicktime", "mov", b"\x00\x00\x00\x14ftypqt  ", True),
        Medium("image/gif", "gif", b"GIF89a", False),
    ),
    "audio": (
        Medium("audio/mpeg", "mp3", b"ID3", True),
        Medium("audio/wav", "wav", b"RIFF\x00\x00\x00\x00WAVE", True),
        Medium("audio/flac", "flac", b"fLaC", True),
    ),
    "pdf": (Medium("application/pdf", "pdf", b"%PDF-1.7\n", True),),
    "text": (
        Medium("text/plain", "txt", b"", True),
        Medium("text/markdown", "md", b"# ", True),
        Medium("text/html", "html", b"<p>", True),
        Medium("application/json", "json", b"{}", True),
        Medium("application/xml", "xml", b"<a/>", True),
        Medium("text/csv", "csv", b"a,b\n", False),
    ),
    "excel": (
        Medium(_XLSX, "xlsx", b"PK\x03\x04", True),
        Medium("application/vnd.ms-excel", "xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", True),
        Medium("text/csv", "csv", b"a,b\n", False),
    ),
}


def mime_fits(kind: str, mime: str) -> bool:
    """The contract's MIME compatibility rule, restated independently of the validator."""
    if kind == "image":
        return mime.startswith("image/")
    if kind == "video":
        return mime.startswith("video/") or mime == "image/gif"
    if kind == "audio":
        return mime.startswith("audio/")
    if kind == "pdf":
        return mime == "application/pdf"
    if kind == "text":
        return mime.startswith("text/") or mime in ("application/json", "application/xml")
    if kind == "excel":
        return mime in (_XLSX, "application/vnd.ms-excel", "text/csv")
    return False


def foreign_media(kind: str, *, inferable_only: bool = False) -> list[Medium]:
    """Media of other kinds that do not fit ``kind``, each MIME once, in table order."""
    seen: set[str] = set()
    out: list[Medium] = []
    for other in FILE_TYPES:
        for m in MEDIA[other]:
            if m.mime in seen or mime_fits(kind, m.mime) or (inferable_only and not m.inferable):
                continue
            seen.add(m.mime)
            out.append(m)
    return out


HOSTS = ("https://example.com", "http://example.com", "s3://bucket", "gs://bucket", "https://cdn.example.org")
_STEM = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=10)
_DIRS = st.lists(_STEM, max_size=2).map(lambda parts: "".join(p + "/" for p in parts))


# A query or fragment must not hide the extension; an upper-case extension is the same extension.
_URL_TAILS = ("", "?v=1", "#page=2", "?sig=a%2Fb&x=.txt")


def urls(medium: Medium) -> st.SearchStrategy[str]:
    """``https://example.com/a.png`` and relatives on http, s3 and gs, with queries and fragments at times."""
    return st.builds(
        lambda host, dirs, stem, upper, tail: (
            f"{host}/{dirs}{stem}.{medium.extension.upper() if upper else medium.extension}{tail}"
        ),
        st.sampled_from(HOSTS),
        _DIRS,
        _STEM,
        st.booleans(),
        st.sampled_from(_URL_TAILS),
    )


def payloads(medium: Medium) -> st.SearchStrategy[bytes]:
    """Bytes that start like a real file of that medium; never empty, so base64 is never ``""``."""
    if medium.mime.startswith("text/") or not medium.magic:
        return st.text(min_size=1, max_size=12).map(lambda s: medium.magic + s.encode("utf-8"))
    return st.binary(max_size=12).map(lambda b: medium.magic + b)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{b64(data)}"


def data_uris(medium: Medium) -> st.SearchStrategy[str]:
    """``data:<mime>;base64,...``; MIME types are case-insensitive and may carry parameters (RFC 2397)."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        mime = medium.mime.upper() if draw(st.booleans()) else medium.mime
        if medium.mime.startswith("text/") and draw(st.booleans()):
            mime += ";charset=utf-8"
        return data_uri(mime, draw(payloads(medium)))

    return build()


def _base64_dicts(medium: Medium, *, with_mime: bool) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {"base64": b64(draw(payloads(medium)))}
        # A non-inferable medium carries its MIME type explicitly: nothing else says what it is.
        if with_mime or not medium.inferable or draw(st.booleans()):
            out["mime_type"] = medium.mime
        if medium.inferable and draw(st.booleans()):
            out["filename"] = f"{draw(_STEM)}.{medium.extension}"
        return out

    return build()


def inline_texts() -> st.SearchStrategy[str]:
    """Inline text for a text blob: a plain string that no reader could take for a URL or data URI."""
    return st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-", min_size=1, max_size=30
    ).filter(lambda s: not s.lower().startswith("data"))


@st.composite
def _blob_data(draw: st.DrawFn, kind: str, auto: bool) -> Any:
    media = [m for m in MEDIA[kind] if m.inferable or not auto]
    inferable = [m for m in media if m.inferable]
    # One integer picks the form, so the shrinker can move between forms (flatmap would hide that choice).
    form = draw(st.integers(0, 4 if kind == "text" else 3))
    if form <= 1:
        medium = draw(st.sampled_from(inferable))
        # The fixed URL takes fewer choices than any other form, so failures shrink to it.
        url = draw(st.one_of(st.just(f"https://example.com/a.{medium.extension}"), urls(medium)))
        return url if form == 0 else {"url": url}
    if form == 2:
        return draw(data_uris(draw(st.sampled_from(media))))
    if form == 3:
        return draw(_base64_dicts(draw(st.sampled_from(media)), with_mime=False))
    return draw(inline_texts())


def blob_data(kind: str, *, auto: bool) -> st.SearchStrategy[Any]:
    """Valid ``data`` for a blob of a ``kind`` field: URL, ``{"url"}``, data URI, ``{"base64"}``, inline text.

    With ``auto`` only unambiguous media are used, since the kind is inferred
    from them.
    """
    return _blob_data(kind, auto)


def upload_ids() -> st.SearchStrategy[str]:
    return st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=12
    ).map(lambda s: "upl_" + s)


def type_spellings(kind: str) -> st.SearchStrategy[str]:
    """``image``, ``IMAGE``, ``Image``: the type is compared case-insensitively."""
    return st.sampled_from([kind, kind.upper(), kind.capitalize()])


@st.composite
def _blobs(draw: st.DrawFn, prop: str, kind: str) -> dict[str, Any]:
    # 0 exact type, 1 "auto"/"AUTO", 2 no type at all; shrinks to the explicit type.
    type_form = draw(st.integers(0, 2))
    blob: dict[str, Any] = {"property": prop}
    if type_form == 0:
        blob["type"] = draw(type_spellings(kind))
    elif type_form == 1:
        blob["type"] = draw(st.sampled_from(["auto", "AUTO"]))
    if draw(st.booleans()):
        blob["upload_id"] = draw(upload_ids())
    else:
        blob["data"] = draw(blob_data(kind, auto=type_form != 0))
    if draw(st.booleans()):
        extras = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "key_prefix": st.sampled_from(["media", "/2025/q4", "products/electronics"]),
                    "metadata": st.dictionaries(st.sampled_from(["alt", "source"]), st.text(max_size=8), max_size=2),
                    "canonicalize_source": st.booleans(),
                    "force_remirror": st.booleans(),
                },
            )
        )
        blob.update(extras)
    return blob


def blobs(prop: str, kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """One valid blob for property ``prop`` of file kind ``kind``."""
    return _blobs(prop, kind)
