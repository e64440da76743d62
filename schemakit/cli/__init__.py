"""The ``schemakit`` console script: validate data, schemas, filters and pipelines in CI.

Stages, as in check-jsonschema: click parses arguments into a config
(``_app``), a runner reads inputs as a stream and checks them (``_check``,
``_validate``, ``_commands``), and a reporter per ``--format`` renders the
results (``_report``). Only ``main`` is public.

Exit codes: 0 all valid; 1 the checked documents have error-severity issues;
2 a usage error, an unreadable file, or an input the command needs valid (the
schema given to ``validate``, a filter refused by ``--schema``); 3 an internal
error (a bug: the traceback is printed). 130 on Ctrl-C, 141 on a closed pipe.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script passes it to ``sys.exit``)."""
    import click

    from schemakit.cli._app import cli
    from schemakit.cli._errors import OutputClosed, UserError

    if sys.stdout is None or sys.stderr is None:
        # started with a standard stream closed (`>&-`): Python leaves it None, and every report
        # write would fail; say so once, on whichever stream is left
        if sys.stderr is not None:
            sys.stderr.write("schemakit: error: standard output is closed\n")
        return 2
    for stream in (sys.stdout, sys.stderr):
        # data may hold lone surrogates ("\ud800" is valid JSON); printed as \ud800 they stay valid JSON
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        rv = cli.main(args=list(argv) if argv is not None else None, prog_name="schemakit", standalone_mode=False)
        _flush_stdout(raise_errors=True)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        # usage errors keep click's usage line and "Try --help"; every click error is the user's,
        # so 2, never click's default 1, which here would read as "invalid data"
        exc.show()
        return 2
    except UserError as exc:
        _flush_stdout()
        sys.stderr.write(f"schemakit: error: {exc}\n")
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        sys.stderr.write("schemakit: interrupted\n")
        return 130
    except (BrokenPipeError, OutputClosed):
        _silence_stdout()
        return 141
    except OSError as exc:
        if exc.errno in _OUTPUT_ERRNOS:
            return _output_failed(exc)
        return _internal_error()
    except Exception:
        return _internal_error()
    return rv if isinstance(rv, int) else 0


def _internal_error() -> int:
    import traceback

    _flush_stdout()
    traceback.print_exc()
    sys.stderr.write("schemakit: internal error (a bug in schemakit; please report it with the traceback above)\n")
    return 3


# Errors of writing the report: a full disk (`> /dev/full`), a failing device, a closed descriptor.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG})


def _output_failed(exc: OSError) -> int:
    _silence_stdout()
    sys.stderr.write(f"schemakit: error: cannot write the report to standard output: {exc.strerror or exc}\n")
    return 2


def _flush_stdout(*, raise_errors: bool = False) -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        if raise_errors:
            raise
        _silence_stdout()


def _silence_stdout() -> None:
    # after the reader went away (`| head`) or the disk filled, the interpreter's final flush
    # would print a second error: what is still buffered goes to /dev/null instead
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor behind stdout any more
        pass
    finally:
        os.close(devnull)
