"""Cell parsers for the import framework: turn a spreadsheet cell into a value, or say why not.

Each factory returns a callable that takes a non-blank cell as python-calamine gives it (str,
float, int, bool, date, datetime, time or timedelta) and returns the parsed value or raises
:class:`CellInvalid` with a message in the active language. Blank cells never reach a parser:
the framework treats them as missing (an error only in a required column).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class CellInvalid(Exception):
    """Raised by a parser: the cell's value cannot be used. The message is already translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return _("a true/false value")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _("a date or time")
    return _("text")


def text(*, max_length: int | None = None) -> Callable[[Any], str]:
    """Text. A number, date or true/false value is refused: it is almost always a column mix-up."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise CellInvalid(_("expected text, found %(found)s") % {"found": _kind_of(value)})
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            raise CellInvalid(
                _("at most %(max)d characters, this has %(length)d") % {"max": max_length, "length": len(value)}
            )
        return value

    return parse


_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
# Excel keeps 15 significant digits of a number; a longer code typed as a number is already rounded.
_EXACT_DIGITS = 15


def code(*, max_length: int = 64, upper: bool = True) -> Callable[[Any], str]:
    """An identifier such as a division code or a credit code, kept as text.

    Excel turns a typed 990101 into the number 990101.0: whole numbers of up to 15 digits are
    accepted and read back as their digits. Longer numbers have already lost digits in Excel,
    and text such as ``9.9E+5`` is what Excel shows, not the code: both are refused with a
    message saying how to fix the sheet (format the column as text and retype the codes).
    """

    def parse(value: Any) -> str:
        if isinstance(value, (bool, dt.date | dt.time | dt.timedelta)):
            raise CellInvalid(_("expected a code, found %(found)s") % {"found": _kind_of(value)})
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer() or value < 0:
                raise CellInvalid(_("a code is a whole string of digits or letters, not a fraction"))
            value = int(value)
        if isinstance(value, int):
            digits = str(value)
            if len(digits) > _EXACT_DIGITS:
                raise CellInvalid(
                    _(
                        "Excel stored this code as a number and kept only %(digits)d digits; "
                        "format the column as text and type the code again"
                    )
                    % {"digits": _EXACT_DIGITS}
                )
            value = digits
        value = "".join(value.split())
        if _SCIENTIFIC.match(value):
            raise CellInvalid(
                _(
                    "this is a number in scientific notation as Excel displays it, not the code; "
                    "format the column as text and type the full code"
                )
            )
        if upper:
            value = value.upper()
        if len(value) > max_length:
            raise CellInvalid(
                _("at most %(max)d characters, this has %(length)d") % {"max": max_length, "length": len(value)}
            )
        return value

    return parse


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Callable[[Any], int]:
    """A whole number, typed as a number or as digits."""

    def parse(value: Any) -> int:
        if isinstance(value, (bool, dt.date | dt.time | dt.timedelta)):
            raise CellInvalid(_("expected a whole number, found %(found)s") % {"found": _kind_of(value)})
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", ""))
            except ValueError:
                raise CellInvalid(_("expected a whole number")) from None
        if not math.isfinite(value) or not float(value).is_integer():
            raise CellInvalid(_("expected a whole number"))
        number = int(value)
        if min_value is not None and number < min_value:
            raise CellInvalid(_("must be at least %(min)d") % {"min": min_value})
        if max_value is not None and number > max_value:
            raise CellInvalid(_("must be at most %(max)d") % {"max": max_value})
        return number

    return parse


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def date() -> Callable[[Any], dt.date]:
    """A date: a date cell, or text such as 2025-03-01, 2025/3/1 or 2025年3月1日."""

    def parse(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            for fmt in _DATE_FORMATS:
                try:
                    return dt.datetime.strptime(value.strip(), fmt).date()
                except ValueError:
                    continue
        raise CellInvalid(_("expected a date such as 2025-03-01"))

    return parse


_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", "×", "✗"}


def boolean() -> Callable[[Any], bool]:
    """Yes or no: 是/否, yes/no, true/false, 1/0 or a TRUE/FALSE cell."""

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        key = normalise(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
        if key in _YES:
            return True
        if key in _NO:
            return False
        raise CellInvalid(_("expected 是 or 否 (yes or no)"))

    return parse


def normalise(name: str) -> str:
    """For matching headers and choices: full-width forms folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


class Choice:
    """One of a fixed set of values, given as the English value, its label in any of the site's
    languages, or a listed Chinese alias. ``aliases[value][0]`` is what exports and templates write.
    """

    def __init__(self, choices: Iterable[tuple[str, Any]], aliases: dict[str, tuple[str, ...]] | None = None):
        self.choices = list(choices)
        self.aliases = aliases or {}
        self._lookup: dict[str, str] | None = None

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            lookup: dict[str, str] = {}
            for value, label in self.choices:
                spellings = [value, *self.aliases.get(value, ())]
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        spellings.append(str(label))
                for spelling in spellings:
                    lookup.setdefault(normalise(spelling), value)
            self._lookup = lookup
        return self._lookup

    def export(self, value: str) -> str:
        aliases = self.aliases.get(value)
        return aliases[0] if aliases else value

    def accepted(self) -> str:
        """The spellings to show a person: the export spelling and the English value of each choice."""
        return "、".join(
            f"{self.export(value)} ({value})" if self.export(value) != value else value
            for value, _label in self.choices
        )

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str):
            raise CellInvalid(_("expected text, found %(found)s") % {"found": _kind_of(value)})
        found = self.lookup().get(normalise(value))
        if found is None:
            raise CellInvalid(_("not one of the allowed values: %(allowed)s") % {"allowed": self.accepted()})
        return found
