"""Which format a dataset file is in, from its first bytes and its name; imports nothing heavy.

The command line asks this of every data file before deciding how to read it, so it must not load
pyarrow for a JSON Lines run.
"""

from __future__ import annotations

FORMATS = ("parquet", "ipc", "csv", "jsonl")
_EXTENSIONS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".arrow": "ipc",
    ".feather": "ipc",
    ".ipc": "ipc",
    ".arrows": "ipc",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}


class UnreadableFile(Exception):
    """A file that cannot be read as its format; the message says why, for the report."""


def sniff_format(path: str) -> str:
    """``parquet``, ``ipc``, ``csv`` or ``jsonl``: magic bytes first, then the extension."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise UnreadableFile(f"cannot open the file: {exc.strerror or exc}") from None
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"ARROW1") or head.startswith(b"\xff\xff\xff\xff"):
        return "ipc"
    lower = path.lower()
    for ext, fmt in _EXTENSIONS.items():
        if lower.endswith(ext):
            if fmt in ("parquet", "ipc"):
                raise UnreadableFile(f"the file is named {ext} but does not start like one")
            return fmt
    if head.lstrip()[:1] in (b"{", b"["):
        return "jsonl"
    raise UnreadableFile("the format is not recognised (Parquet, Arrow IPC, CSV or JSON Lines)")
