"""Rules for one blob of an object request: where its bytes come from and whether they fit the field.

Generated validators call :func:`blob_problems` once per blob. It returns a
shared empty tuple for a good blob, so the fast path allocates nothing and
``is_valid`` and ``validate`` cannot disagree about a blob. Problems are
``(code, sub_path, message, hint)``; the caller stamps the blob's location.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from schemakit._contract.bucket import ALL_TYPES

# the shared describe is total (odd ints, a raising __repr__); blob messages and the builders use it from here
from schemakit._issues import describe as describe

Problem = tuple[str, tuple[str, ...], str, str | None]
NO_PROBLEMS: tuple[Problem, ...] = ()

UPLOAD_ID = re.compile(r"upl_[a-zA-Z0-9_-]+\Z")
# Any "scheme://" string is a URL, so an ftp:// link is a bad URL rather than inline text.
_LOOKS_LIKE_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# The blob URL rule, spelled once for every engine: a known scheme, a first character that is not
# '/', '?' or '#' (a host), then no whitespace. ASCII_URL_REST is the printable-ASCII subset of URL_REST,
# for engines whose \s is not Python's (RE2) and as the matcher's first try: a range test a character,
# where \S looks up every character's Unicode category (a typical URL matches three times faster).
URL_SCHEME = r"(?:[hH][tT][tT][pP][sS]?|[sS]3|[gG][sS])://"
URL_REST = r"[^\s/?#]\S*"
ASCII_URL_REST = r"[\x21\x22\x24-\x2e\x30-\x3e\x40-\x7e][\x21-\x7e]*"
_GOOD_URL = re.compile(f"{URL_SCHEME}(?:{ASCII_URL_REST}\\Z|{URL_REST}\\Z)")
_DATA_URI = re.compile(r"data:([^;,]*)((?:;[^;,]*)*),", re.DOTALL)
_MIME = re.compile(r"[A-Za-z0-9][\w.+-]*/[\w.+-]+\Z", re.ASCII)

SPREADSHEET_MIMES = frozenset(
    {
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel.sheet.macroenabled.12",
        "application/vnd.ms-excel.sheet.binary.macroenabled.12",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
    }
)

# A fixed table rather than the mimetypes module, whose answers depend on the host's /etc/mime.types.
EXTENSION_MIMES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "heic": "image/heic",
    "avif": "image/avif",
    "ico": "image/x-icon",
    "mp4": "video/mp4",
    "m4v": "video/x-m4v",
    "mov": "video/quicktime",
    "avi": "video/x-msvideo",
    "mkv": "video/x-matroska",
    "webm": "video/webm",
    "mpeg": "video/mpeg",
    "mpg": "video/mpeg",
    "wmv": "video/x-ms-wmv",
    "flv": "video/x-flv",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "flac": "audio/flac",
    "aac": "audio/aac",
    "m4a": "audio/mp4",
    "opus": "audio/opus",
    "wma": "audio/x-ms-wma",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "text": "text/plain",
    "md": "text/markdown",
    "markdown": "text/markdown",
    "rst": "text/x-rst",
    "html": "text/html",
    "htm": "text/html",
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroenabled.12",
    "xlsb": "application/vnd.ms-excel.sheet.binary.macroenabled.12",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass(frozen=True, slots=True)
class FileRule:
    """What content can fill a field of one file type: its MIME types (lower case, no parameters), and more."""

    prefixes: tuple[str, ...]
    """Any subtype of these: ``image/`` takes ``image/png``."""
    exact: tuple[str, ...]
    suffixes: tuple[str, ...]
    """Structured-syntax suffixes: ``+xml`` takes ``application/atom+xml``."""
    described: str
    """How messages state the MIME rule."""
    inline_text: bool = False
    """Whether blob data may be the content itself, as plain text (not a URL or a data URI)."""

    def fits(self, mime: str) -> bool:
        return mime.startswith(self.prefixes) or mime in self.exact or mime.endswith(self.suffixes)


FILE_RULES: Mapping[str, FileRule] = MappingProxyType(
    {
        "image": FileRule(("image/",), (), (), "image/*"),
        "video": FileRule(("video/",), ("image/gif",), (), "video/* or image/gif"),
        "audio": FileRule(("audio/",), (), (), "audio/*"),
        "pdf": FileRule((), ("application/pdf",), (), "application/pdf"),
        "text": FileRule(
            ("text/",),
            ("application/json", "application/xml"),
            ("+xml",),
            "text/*, application/json or XML",
            inline_text=True,
        ),
        "excel": FileRule((), tuple(sorted(SPREADSHEET_MIMES)), (), "a spreadsheet type or text/csv"),
    }
)
"""Each file type's content rule: the validator and the JSON Schema export both read it from here.

(The contract's type table has no content attributes yet; this is the one
place they are stated, keyed like it.)
"""

_NO_RULE = FileRule((), (), (), "nothing")


def mime_fits(ftype: str, mime: str) -> bool:
    """Whether content of MIME type ``mime`` (lower case, no parameters) can fill a ``ftype`` field."""
    rule = FILE_RULES.get(ftype)
    return rule is not None and rule.fits(mime)


def mime_from_name(name: str) -> str | None:
    """The MIME type a URL's or file name's extension implies, if it is one we know."""
    name = name.split("?", 1)[0].split("#", 1)[0]
    last = name.rpartition("/")[2]
    stem, dot, ext = last.rpartition(".")
    if not dot or not stem:
        return None
    return EXTENSION_MIMES.get(ext.lower())


def is_url(text: str) -> bool:
    return _GOOD_URL.match(text) is not None


def _base64_size(text: str) -> int | None:
    """Decoded length of strict, padded base64, or None when it is not base64."""
    if not text:
        return None
    try:
        return len(binascii.a2b_base64(text, strict_mode=True))
    except (binascii.Error, ValueError):
        return None


def _clean_mime(raw: str) -> str:
    return raw.split(";", 1)[0].strip().lower()


upload_id_match = UPLOAD_ID.match
good_url = _GOOD_URL.match

# quick_blob's rule as one expression over the blob ``{b}`` and its field's type spellings ``{names}``, for
# generated code to run without a call. It assumes what the generated code has checked already: ``{b}`` is
# a dict whose 'property' names a file field. It binds t, d and u; a property test pins it to quick_blob.
QUICK_BLOB_EXPR = (
    "(((t := {b}.get('type')) is None and len({b}) == 2)"
    " or (t.__class__ is str and t in {names} and len({b}) == 3))"
    " and (((d := {b}.get('data')) is None"
    " and (u := {b}.get('upload_id')).__class__ is str and upload_id_match(u) is not None)"
    " or (t is not None and d.__class__ is str and good_url(d) is not None))"
)


def quick_blob(b: dict[str, Any], type_names: frozenset[str]) -> bool:
    """True for the everyday good blob: an exact type name and a URL, or an upload id, and nothing else.

    Anything it does not recognize (other keys, auto types that need MIME inference,
    inline data) returns False and goes to :func:`blob_problems`, the authority.
    """
    t = b.get("type")
    if t is None:
        expected = 2
    elif t.__class__ is str and t in type_names:
        expected = 3
    else:
        return False
    if len(b) != expected or "property" not in b:
        return False
    data = b.get("data")
    if data is None:
        u = b.get("upload_id")
        return u.__class__ is str and upload_id_match(u) is not None
    # a typeless blob's URL extension must fit the field: leave that to the full check
    return t is not None and data.__class__ is str and good_url(data) is not None


def blob_problems(blob: Any, ftype: str | None, max_bytes: int) -> tuple[Problem, ...]:
    """Everything wrong with one blob whose property names a field of type ``ftype``.

    ``ftype`` is None when the property is unknown; the blob's own shape is still checked.
    """
    if not isinstance(blob, dict):
        return (("invalid_request", (), f"a blob must be an object, found {describe(blob)}", None),)
    # None until the first problem, so a good blob allocates nothing
    out: list[Problem] | None = None
    t = blob.get("type")
    auto = t is None
    if t is not None:
        if not isinstance(t, str):
            out = [("invalid_request", ("type",), f"a blob 'type' must be a string, found {describe(t)}", None)]
        else:
            t = str.__str__(t)  # a str subclass's own methods never run
            tl = t.lower()
            if tl == "auto":
                auto = True
            elif tl != ftype:
                out = [_type_problem(t, tl, ftype)] if (ftype is not None or tl not in ALL_TYPES) else None

    data = blob.get("data")
    upload = blob.get("upload_id")
    if data is None:
        if upload is None:
            out = _add(out, ("missing_blob_source", (), "a blob needs 'data' or 'upload_id'", None))
    elif upload is not None:
        out = _add(
            out,
            (
                "conflicting_blob_source",
                (),
                "a blob takes either 'data' or 'upload_id', not both",
                "keep 'upload_id' for presigned uploads, 'data' for URLs and inline content",
            ),
        )
    if upload is not None and (not isinstance(upload, str) or UPLOAD_ID.match(upload) is None):
        out = _add(
            out,
            (
                "invalid_request",
                ("upload_id",),
                f"'upload_id' must be an id like 'upl_abc123', found {describe(upload)}",
                None,
            ),
        )
    if data is not None:
        data_problems = _data_problems(data, ftype, auto, max_bytes)
        if data_problems:
            out = _add(out, *data_problems)

    # Keys the contract does not name are allowed (CreateBlobRequest has no additionalProperties: false).
    kp = blob.get("key_prefix")
    if kp is not None:
        msg = key_prefix_problem(kp)
        if msg is not None:
            code = "invalid_request" if not isinstance(kp, str) else "invalid_key_prefix"
            out = _add(out, (code, ("key_prefix",), msg, None))
    md = blob.get("metadata")
    if md is not None and not isinstance(md, dict):
        out = _add(
            out, ("invalid_request", ("metadata",), f"blob 'metadata' must be an object, found {describe(md)}", None)
        )
    for flag in ("canonicalize_source", "force_remirror"):
        fv = blob.get(flag)
        if fv is not None and fv is not True and fv is not False:
            out = _add(out, ("invalid_request", (flag,), f"'{flag}' must be true or false, found {describe(fv)}", None))
    return NO_PROBLEMS if out is None else tuple(out)


def _add(out: list[Problem] | None, *problems: Problem) -> list[Problem]:
    if out is None:
        return list(problems)
    out.extend(problems)
    return out


def _type_problem(raw: str, lowered: str, ftype: str | None) -> Problem:
    if lowered not in ALL_TYPES:
        return (
            "blob_type_mismatch",
            ("type",),
            f"blob type {raw!r} is not a known type" + (f"; the field is {ftype!r}" if ftype else ""),
            "valid types: " + ", ".join(ALL_TYPES) + ", auto",
        )
    return (
        "blob_type_mismatch",
        ("type",),
        f"expected blob type {ftype!r}, found {raw!r}",
        f'set "type": "{ftype}" or "auto"',
    )


def _data_problems(data: Any, ftype: str | None, auto: bool, max_bytes: int) -> list[Problem] | None:
    declared: str | None = None  # a MIME type the request states
    inferred: str | None = None  # one guessed from a name's extension (checked only for auto blobs)
    size = 0
    rule = FILE_RULES.get(ftype, _NO_RULE) if ftype is not None else _NO_RULE
    if isinstance(data, str):
        if data.startswith("data:"):
            m = _DATA_URI.match(data)
            if m is None or not m[2].lower().endswith(";base64"):
                return [_bad_data("a data URI must look like 'data:<mime>;base64,<data>'")]
            uri_mime = _clean_mime(m[1])
            if _MIME.match(uri_mime) is None:
                return [_bad_data(f"data URI MIME type {m[1]!r} is not a MIME type")]
            payload = data[m.end() :]
            n = _base64_size(payload)
            if n is None:
                return [_bad_data("the data URI's payload is not valid base64")]
            declared, size = uri_mime, n
        elif is_url(data):
            inferred = mime_from_name(data)
        elif rule.inline_text and _LOOKS_LIKE_URL.match(data) is None and data:
            inferred = "text/plain"
            # Inline text counts against the inline limit by its UTF-8 size; len() is a lower bound.
            if len(data) * 4 > max_bytes:
                size = len(data.encode("utf-8", "surrogatepass"))
        else:
            return [
                _bad_data(
                    f"blob data {describe(data)} is not an http(s)/s3/gs URL or a data URI",
                    'use a URL, \'data:<mime>;base64,<data>\', {"base64": ...} or {"url": ...}'
                    + (", or inline text for text fields" if rule.inline_text else ""),
                )
            ]
    elif isinstance(data, dict):
        if "base64" in data and "url" in data:
            return [_bad_data("blob data has both 'base64' and 'url'; give one")]
        if "base64" in data:
            b64 = data["base64"]
            n = _base64_size(b64) if isinstance(b64, str) else None
            if n is None:
                return [_bad_data("blob data 'base64' is not valid base64 text")]
            size = n
            mt = data.get("mime_type")
            if mt is not None:
                if not isinstance(mt, str) or _MIME.match(_clean_mime(mt)) is None:
                    return [_bad_data(f"blob data 'mime_type' {describe(mt)} is not a MIME type")]
                declared = _clean_mime(mt)
            fn = data.get("filename")
            if fn is not None:
                if not isinstance(fn, str):
                    return [_bad_data(f"blob data 'filename' must be a string, found {describe(fn)}")]
                inferred = mime_from_name(fn)
        elif "url" in data:
            url = data["url"]
            if not isinstance(url, str) or not is_url(url):
                return [_bad_data(f"blob data 'url' {describe(url)} is not an http(s)/s3/gs URL")]
            inferred = mime_from_name(url)
        else:
            return [
                _bad_data(
                    "blob data object needs 'base64' or 'url'",
                    '{"base64": "...", "mime_type": "image/png"} or {"url": "https://..."}',
                )
            ]
    else:
        return [_bad_data(f"blob data must be a string or an object, found {describe(data)}")]

    if size > max_bytes:
        return [
            (
                "blob_too_large",
                ("data",),
                f"inline data is {size} bytes; at most {max_bytes} are allowed inline",
                "upload large files with a presigned upload and pass its 'upload_id'",
            )
        ]
    if ftype is None:
        return None
    mime: str | None = declared if declared is not None else (inferred if auto else None)
    if mime is not None and not rule.fits(mime):
        return [
            (
                "mime_type_mismatch",
                ("data",),
                f"MIME type {mime!r} does not fit the {ftype} field (expected {rule.described})",
                None,
            )
        ]
    return None


def _bad_data(message: str, hint: str | None = None) -> Problem:
    return ("invalid_blob_data", ("data",), message, hint)


def key_prefix_problem(kp: Any) -> str | None:
    """Why a ``key_prefix`` is unusable, or None when it is fine (None itself is handled by callers)."""
    if not isinstance(kp, str):
        return f"'key_prefix' must be a string, found {describe(kp)}"
    if not kp:
        return "'key_prefix' must not be empty"
    if len(kp) > 256 and len(kp.encode("utf-8", "surrogatepass")) > 1024:
        return "'key_prefix' is longer than 1024 UTF-8 bytes"
    if ".." in kp and ".." in kp.split("/"):
        return "'key_prefix' has a '..' segment"
    if not (kp.isascii() and kp.isprintable()):
        for ch in kp:
            o = ord(ch)
            if o < 0x20 or 0x7F <= o <= 0x9F:
                return f"'key_prefix' contains the control character {ch!r}"
    return None
