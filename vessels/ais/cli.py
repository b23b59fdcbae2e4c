"""`mh ais ...`: decode AIS NMEA captures from the command line.

Mounted by the main CLI with app.add_typer(ais_app, name="ais"); also runnable on its own
with `python -m vessels.ais.cli`.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vessels.ais.decode import Quarantine, Summary, decode_file

app = typer.Typer(help="AIS: decode NMEA 0183 captures (tag blocks, Gatehouse $PGHP, multipart).", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """AIS tools."""
    # A callback keeps `decode` a named subcommand even while it is the only one, so the
    # command line is the same standalone and mounted under `mh ais`.


@app.command()
def decode(
    files: Annotated[list[Path], typer.Argument(help="NMEA files to decode, in order.", show_default=False)],
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="Print one JSON object per decoded message to stdout.")
    ] = False,
) -> None:
    """Decode FILE... ; bad lines are counted and skipped, never fatal.

    Exit status 0 even when lines were quarantined; 2 when a file cannot be read.
    """
    for path in files:  # check them all first, so a typo in the last one costs no output
        try:
            path.open("rb").close()
        except OSError as e:
            _fail(path, e)
    total = Summary()
    per_file: list[tuple[Path, Summary]] = []
    out = sys.stdout
    for path in files:
        summary = Summary()
        try:
            for rec in decode_file(path, summary=summary):
                if jsonl and not isinstance(rec, Quarantine):
                    rec["timestamp"] = rec["timestamp"].isoformat()
                    out.write(json.dumps(rec, ensure_ascii=False))
                    out.write("\n")
        except BrokenPipeError:
            _quiet_stdout()  # the reader went away (`| head`): stop, it is not a failure
            raise typer.Exit(0) from None
        except OSError as e:
            _fail(path, e)
        per_file.append((path, summary))
        total.merge(summary)
    if not jsonl:
        _print_tables(per_file, total)
    _print_summary(total)


def _fail(path: Path, e: OSError) -> None:
    typer.echo(f"error: cannot read {path}: {e.strerror or e}", err=True)
    raise typer.Exit(2)


def _quiet_stdout() -> None:
    # Python would complain again when it flushes stdout at exit.
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _counts(c: Mapping[str, int] | Mapping[int, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(c.items())) or "-"


def _print_summary(s: Summary) -> None:
    err = sys.stderr
    print(f"lines: {s.lines}  decoded: {s.decoded}  quarantined: {s.quarantined_total}", file=err)
    print(f"quarantined by reason: {_counts(s.quarantined)}", file=err)
    print(f"by type: {_counts(s.by_type)}", file=err)
    if s.notes:
        print(f"notes: {_counts(s.notes)}", file=err)


def _print_tables(per_file: list[tuple[Path, Summary]], total: Summary) -> None:
    console = Console()
    files = Table(title="AIS decode")
    for col in ("file", "lines", "decoded", "quarantined", "quarantine reasons"):
        left = col in ("file", "quarantine reasons")
        files.add_column(col, justify="left" if left else "right", overflow="fold")
    for path, s in per_file:
        files.add_row(str(path), str(s.lines), str(s.decoded), str(s.quarantined_total), _counts(s.quarantined))
    if len(per_file) > 1:
        files.add_row(
            "total",
            str(total.lines),
            str(total.decoded),
            str(total.quarantined_total),
            _counts(total.quarantined),
            style="bold",
        )
    console.print(files)
    types = Table(title="Messages by type")
    types.add_column("type", justify="right")
    types.add_column("count", justify="right")
    for t, count in sorted(total.by_type.items()):
        types.add_row(str(t), str(count))
    console.print(types)


if __name__ == "__main__":
    app()
