"""``fazhi audit``: check the audit log's hash chain, print its head for anchoring, show its tail.

    fazhi audit verify [--anchor SEQ:HASH ...] [--anchors-file FILE] [--progress]
    fazhi audit head
    fazhi audit tail [-n N]

``verify`` exits 1 and names the first broken link when the chain does not hold. ``head`` prints
``SEQ:HASH TIME``; record that line somewhere the database's administrators cannot write, and pass
it back with ``--anchor`` (or a file of such lines with ``--anchors-file``) so that ``verify`` can
also detect a rewritten or truncated tail. See docs/audit.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.core.audit import audit_head, audit_tail, audit_verify

ANCHOR = re.compile(r"^#?(\d+):([0-9a-fA-F]{64})$")


def parse_anchor(text: str) -> tuple[int, str]:
    match = ANCHOR.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(
            _("%(text)r is not an anchor: write SEQ:HASH as printed by fazhi audit head") % {"text": text}
        )
    return int(match.group(1)), match.group(2).lower()


def read_anchors_file(path: Path) -> list[tuple[int, str]]:
    """Anchors from a file of ``fazhi audit head`` lines (the first word of each; # starts a comment)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror}) from None
    anchors = []
    for number, line in enumerate(lines, start=1):
        words = line.split()
        if not words or line.lstrip().startswith("#"):
            continue
        try:
            anchors.append(parse_anchor(words[0]))
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"{path}:{number}: {exc}") from None
    return anchors


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, print its head for anchoring, or show its latest events."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,head,tail}")
        verify = actions.add_parser("verify", help="walk the chain and report the first broken link (exit 1)")
        verify.add_argument(
            "--anchor",
            dest="anchors",
            action="append",
            type=parse_anchor,
            default=[],
            metavar="SEQ:HASH",
            help="a head recorded earlier with `fazhi audit head`; it must still be in the chain (repeatable)",
        )
        verify.add_argument(
            "--anchors-file", type=Path, help="a file of lines printed by `fazhi audit head`, each checked as --anchor"
        )
        verify.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show progress on stderr (default: when stderr is a terminal)",
        )
        verify.add_argument("--batch-size", type=int, default=2000, help=argparse.SUPPRESS)
        actions.add_parser("head", help="print the latest event as SEQ:HASH TIME, to record elsewhere")
        tail = actions.add_parser("tail", help="print the latest events, oldest first")
        tail.add_argument("-n", "--lines", type=int, default=20, help="how many events (default 20)")

    def handle(self, *, action: str, **options):
        {"verify": self.verify, "head": self.head, "tail": self.tail}[action](**options)

    # --- verify -----------------------------------------------------------------------------------

    def verify(self, *, anchors, anchors_file, progress, batch_size, verbosity, **options):
        if anchors_file is not None:
            anchors = [*anchors, *read_anchors_file(anchors_file)]
        anchor_map = {}
        for seq, value in anchors:
            if anchor_map.get(seq, value) != value:
                raise CommandError(_("Two different anchors were given for event #%(seq)d.") % {"seq": seq})
            anchor_map[seq] = value
        show = verbosity > 0 and (progress if progress is not None else self.stderr.isatty())
        on_tty = self.stderr.isatty()
        report = audit_verify(
            anchors=anchor_map, progress=self._progress_printer(on_tty) if show else None, batch_size=max(1, batch_size)
        )
        if show and on_tty:
            self.stderr.write("\r" + " " * 70 + "\r", ending="")
        if not report.ok:
            brk = report.first_break
            self.stderr.write(
                ngettext(
                    "%(count)d event before it verified.",
                    "%(count)d events before it verified.",
                    report.checked,
                )
                % {"count": report.checked}
            )
            raise CommandError(
                _("Chain broken at event #%(seq)d: %(reason)s") % {"seq": brk.seq, "reason": brk.reason}, returncode=1
            )
        summary = ngettext(
            "%(count)d event verified, chain intact", "%(count)d events verified, chain intact", report.checked
        )
        self.stdout.write(summary % {"count": report.checked})
        if anchor_map:
            self.stdout.write(
                ngettext("%(count)d anchor matched.", "%(count)d anchors matched.", len(anchor_map))
                % {"count": len(anchor_map)}
            )
        if report.checked:
            self.stdout.write(_("Head: %(seq)d:%(hash)s") % {"seq": report.head_seq, "hash": report.head_hash})

    def _progress_printer(self, on_tty: bool):
        def show(done: int, total: int) -> None:
            percent = done * 100 // total if total else 100
            line = _("Verifying: %(done)d of %(total)d events (%(percent)d%%)") % {
                "done": done,
                "total": total,
                "percent": percent,
            }
            if on_tty:
                self.stderr.write(f"\r{line:<70}", ending="")
                self.stderr.flush()
            else:
                self.stderr.write(line)

        return show

    # --- head and tail ----------------------------------------------------------------------------

    def head(self, **options):
        event = audit_head()
        if event is None:
            self.stderr.write(_("The audit log is empty."))
            return
        self.stdout.write(f"{event.seq}:{event.hash} {event.time.astimezone(dt.UTC).isoformat()}")

    def tail(self, *, lines: int, **options):
        if lines < 1:
            raise CommandError(_("-n must be at least 1."))
        for event in audit_tail(count=lines):
            when = timezone.localtime(event.time).strftime("%Y-%m-%d %H:%M:%S")
            what = event.object_repr or ""
            if event.object_type:
                what = f"{what} [{event.object_type}#{event.object_id}]".strip()
            self.stdout.write(
                "\t".join([f"#{event.seq}", when, event.actor_label or "-", event.action, what, event.ip or "-"])
            )
