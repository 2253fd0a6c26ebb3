"""What an import is made of: its columns, its rows and their errors, and the :class:`Importer` base class.

The declarations an importer writes; :mod:`fazhi.core.imports` reads sheets and runs imports against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from fazhi.core.cells import Choice, normalise, text

# ---------------------------------------------------------------------------------------------
# Errors


class RowRefused(Exception):
    """Raised by :meth:`Importer.write` when a service refuses one row: nothing is written."""

    def __init__(self, row: Row, key: str | None, message: str):
        super().__init__(message)
        self.row, self.key, self.message = row, key, message


@dataclass(frozen=True)
class CellError:
    """One problem with the file: where (row as Excel numbers it, column header), what, and why."""

    row: int | None
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        value = f" «{self.value}»" if self.value else ""
        return f"{', '.join(where)}{value}: {self.message}" if where else f"{self.message}{value}"


# ---------------------------------------------------------------------------------------------
# Columns, rows and the importer


@dataclass(frozen=True)
class Column:
    """One column of an import: its English ``key``, the Chinese ``header`` the template writes,
    a ``label`` and ``help`` for people (translated), and the parser for its cells.

    A file may head the column with the header, the key or one of ``aliases``.
    ``export`` turns a stored value into what the cell should hold; ``sensitive`` hides the
    value in error reports (passwords); ``text_format`` makes templates and exports format the
    column as text, so that Excel keeps codes as typed.
    """

    key: str
    header: str
    label: Any
    parse: Callable[[Any], Any] = field(default_factory=text)
    required: bool = False
    help: Any = ""
    example: Any = ""
    aliases: tuple[str, ...] = ()
    sensitive: bool = False
    text_format: bool = False
    width: int = 18

    def spellings(self) -> set[str]:
        return {normalise(s) for s in (self.header, self.key, *self.aliases)}

    def allowed(self) -> str:
        """The accepted values, for columns with a fixed set of them ("" otherwise)."""
        return self.parse.accepted() if isinstance(self.parse, Choice) else ""

    def export(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(self.parse, Choice):
            return self.parse.export(value)
        return value


@dataclass
class Row:
    """A data row: the row number Excel shows, the parsed values by column key, and the raw cells.

    ``values[key]`` is None for a blank cell and for a cell that did not parse (its key is then in
    ``failed``); checks call :meth:`error` to report a problem, which keeps the whole import from
    being written.
    """

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    failed: set[str] = field(default_factory=set)
    problems: list[tuple[str | None, str]] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def error(self, key: str | None, message: str) -> None:
        self.problems.append((key, message))

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed


class Importer:
    """What one kind of import reads and how it writes; subclass and fill in the class attributes.

    The runner calls, in order: :meth:`prepare` once with every parsed row (load what the checks
    need in a few queries), :meth:`check_row` for each row in file order (keep on ``self`` what
    later rows must see, such as the codes defined so far), :meth:`check_all` once, and, only
    when no row has an error and this is not a dry run, :meth:`write` inside one transaction.
    """

    # Templates receive the class itself (its title, columns, notes): do not let them call it.
    do_not_call_in_templates: ClassVar[bool] = True
    kind: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    sheet_name: ClassVar[str] = "数据"
    columns: ClassVar[tuple[Column, ...]] = ()
    notes: ClassVar[tuple[Any, ...]] = ()
    example_rows: ClassVar[tuple[dict[str, Any], ...]] = ()

    def __init__(self, *, actor):
        self.actor = actor

    def prepare(self, rows: list[Row]) -> None:
        """Load what the checks need, for all rows at once."""

    def check_row(self, row: Row) -> None:
        """Check one row; earlier rows have been checked already."""

    def check_all(self, rows: list[Row]) -> None:
        """Checks that need every row (run after check_row has seen them all)."""

    def write(self, rows: list[Row]) -> list[str]:
        """Write the valid rows (inside the import's transaction); return lines describing what was done."""
        raise NotImplementedError

    @classmethod
    def column(cls, key: str) -> Column:
        return next(c for c in cls.columns if c.key == key)


@dataclass
class ImportResult:
    ok: bool
    dry_run: bool
    rows: int
    errors: list[CellError]
    lines: list[str]

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "dry_run": self.dry_run,
            "written": self.written,
            "lines": self.lines,
            "errors_total": len(self.errors),
        }


class _FileRefused(Exception):
    def __init__(self, errors: list[CellError]):
        super().__init__(errors)
        self.errors = errors
