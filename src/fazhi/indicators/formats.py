"""Scoring standards in files: YAML and XLSX ⇄ :class:`~fazhi.indicators.spec.Standard`. Pure, no Django.

The format (``format: fazhi-standard/1``) is a public contract, described in ``docs/indicator-format.md``.

- :func:`load_yaml` / :func:`load_xlsx` read a file's bytes and return a valid standard, or raise
  :class:`~fazhi.indicators.validation.StandardInvalid` with every error of the file together
  (structural errors met while reading, then every rule of :func:`~fazhi.indicators.validation.validate`).
- :func:`dump_yaml` / :func:`dump_xlsx` write a standard so that loading it gives the same standard back.

Both readers turn the file into the same plain document (the YAML mapping) and read that with one
parser, so a rule is enforced, and worded, the same way whichever format a standard arrives in.
YAML is read with a safe loader that refuses aliases and anchors (no alias bombs), nesting deeper than
:data:`MAX_DEPTH`, duplicate keys, bytes that are not UTF-8 and files over ``max_bytes``.
"""

from __future__ import annotations

import io
import math
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from fazhi.core.problems import Problem, gettext_noop
from fazhi.indicators.spec import (
    FORMAT,
    BonusItem,
    ChecklistItem,
    Indicator,
    Rule,
    Standard,
    Tier,
    VetoItem,
)
from fazhi.indicators.validation import (
    ALL_PARAMETERS,
    StandardError,
    StandardInvalid,
    decimal_text,
    points_text,
    validate,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "StandardError",
    "StandardInvalid",
    "dump_yaml",
    "load_yaml",
    "read_document",
    "validate",
]

# The largest file read, unless the caller says otherwise (the site passes FAZHI_STANDARD_MAX_KB).
DEFAULT_MAX_BYTES = 1024 * 1024
# The deepest nesting of YAML collections accepted (an indicator tree of depth d nests about 2d + 1).
MAX_DEPTH = 40
# The largest magnitude of any number in a file (points, thresholds, tier mins).
MAX_NUMBER = Decimal(1_000_000)

HEADER_KEYS = ("format", "code", "version", "title", "source", "total", "pass_score", "bonus_cap")
DOCUMENT_KEYS = (*HEADER_KEYS, "indicators", "bonus", "veto")
NODE_KEYS = ("code", "title", "points", "rule", *ALL_PARAMETERS, "guidance", "evidence", "children")
ITEM_KEYS = ("title", "points")
TIER_KEYS = ("min", "points")
BONUS_KEYS = ("code", "title", "points")
VETO_KEYS = ("code", "title")


# ---------------------------------------------------------------------------------------------
# Errors met while reading


class _Collector:
    def __init__(self) -> None:
        self.errors: list[StandardError] = []
        self.unreadable: set[str] = set()

    def add(self, where: str, rule: str, message: str, **params: Any) -> None:
        self.errors.append(StandardError(where, rule, Problem(message, params)))


class _Refused(Exception):
    """The file cannot be read at all: one error, nothing else is checked."""

    def __init__(self, rule: str, message: str, **params: Any):
        super().__init__(message)
        self.error = StandardError("file", rule, Problem(message, params))


# ---------------------------------------------------------------------------------------------
# YAML


class _SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases, anchors, deep nesting or duplicate keys; floats as Decimal."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(
                "alias",
                gettext_noop(
                    "line %(line)s: YAML anchors and aliases (& and *) are not accepted; write the values out"
                ),
                line=event.start_mark.line + 1,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    "depth",
                    gettext_noop("line %(line)s: the file nests deeper than %(max)s levels"),
                    line=event.start_mark.line + 1,
                    max=MAX_DEPTH,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise _Refused(
                    "duplicate_key",
                    gettext_noop("line %(line)s: the key %(key)s appears twice in one mapping"),
                    line=key_node.start_mark.line + 1,
                    key=key,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node).replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:  # .inf, .nan, sexagesimal: left to the parser to refuse
            return super().construct_yaml_float(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:float", _SafeLoader.construct_yaml_float)


def _decode(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise _Refused(
            "size",
            gettext_noop("the file is %(size)s KB, more than the limit of %(max)s KB"),
            size=math.ceil(len(data) / 1024),
            max=max_bytes // 1024,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refused(
            "encoding",
            gettext_noop("the file is not UTF-8 text (bad byte at position %(position)s); save it as UTF-8"),
            position=exc.start,
        ) from None


def _parse_yaml(text: str) -> Any:
    loader = _SafeLoader(text)
    try:
        return loader.get_single_data()
    except _Refused:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _Refused(
            "yaml",
            gettext_noop("line %(line)s: this is not valid YAML (%(problem)s)"),
            line=(mark.line + 1) if mark else 0,
            problem=exc.problem or exc.context or "",
        ) from None
    except yaml.YAMLError as exc:
        raise _Refused("yaml", gettext_noop("this is not valid YAML (%(problem)s)"), problem=str(exc)) from None
    finally:
        loader.dispose()


def load_yaml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Standard:
    """The valid standard in a YAML file's bytes; raises StandardInvalid with every error of the file."""
    try:
        document = _parse_yaml(_decode(data, max_bytes))
    except _Refused as refused:
        raise StandardInvalid([refused.error]) from None
    return read_document(document)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal):
    text = decimal_text(value)
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


_Dumper.add_representer(Decimal, _represent_decimal)


class _FlowDict(dict):
    """A mapping written on one line ({title: …, points: 1})."""


_Dumper.add_representer(
    _FlowDict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)


def _points_value(hundredths: int) -> int | Decimal:
    return hundredths // 100 if hundredths % 100 == 0 else Decimal(hundredths) / 100


def _node_document(node: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title}
    if not node.children or node.rule is not None:
        out["points"] = _points_value(node.points)
    if node.rule is not None:
        rule = node.rule
        out["rule"] = rule.kind
        if rule.step is not None:
            out["step"] = _points_value(rule.step)
        if rule.items:
            out["items"] = [_FlowDict(title=i.title, points=_points_value(i.points)) for i in rule.items]
        if rule.per is not None:
            out["per"] = _points_value(rule.per)
        if rule.full_at is not None:
            out["full_at"] = rule.full_at
        if rule.zero_at is not None:
            out["zero_at"] = rule.zero_at
        if rule.tiers:
            out["tiers"] = [_FlowDict(min=t.min, points=_points_value(t.points)) for t in rule.tiers]
        if rule.metric is not None:
            out["metric"] = rule.metric
    if node.guidance:
        out["guidance"] = node.guidance
    if node.evidence:
        out["evidence"] = list(node.evidence)
    if node.children:
        out["children"] = [_node_document(child) for child in node.children]
    return out


def to_document(standard: Standard) -> dict[str, Any]:
    """The standard as the plain mapping a YAML file holds (points as numbers of points)."""
    out: dict[str, Any] = {"format": FORMAT, "code": standard.code, "version": standard.version}
    out["title"] = standard.title
    if standard.source:
        out["source"] = standard.source
    out["total"] = _points_value(standard.total)
    if standard.pass_score is not None:
        out["pass_score"] = _points_value(standard.pass_score)
    if standard.bonus_cap is not None:
        out["bonus_cap"] = _points_value(standard.bonus_cap)
    out["indicators"] = [_node_document(node) for node in standard.indicators]
    if standard.bonus:
        out["bonus"] = [_FlowDict(code=b.code, title=b.title, points=_points_value(b.points)) for b in standard.bonus]
    if standard.veto:
        out["veto"] = [_FlowDict(code=v.code, title=v.title) for v in standard.veto]
    return out


def dump_yaml(standard: Standard) -> bytes:
    """The standard as a UTF-8 YAML file that :func:`load_yaml` reads back to an equal standard."""
    text = yaml.dump(
        to_document(standard),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The document (a YAML mapping, or what the XLSX reader builds) → Standard


def _number(value: Any, where: str, key: str, c: _Collector) -> Decimal | None:
    """A number from a file value: int, Decimal, float or a numeric string; None (and an error) otherwise."""
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value)) if math.isfinite(value) else None
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        c.add(where, "number", gettext_noop("%(key)s must be a number, not %(value)s"), key=key, value=_shown(value))
        c.unreadable.add(where)
        return None
    if abs(number) > MAX_NUMBER:
        c.add(where, "number", gettext_noop("%(key)s is too large (%(value)s)"), key=key, value=_shown(value))
        c.unreadable.add(where)
        return None
    return number


def _shown(value: Any) -> str:
    text = str(value) if not isinstance(value, Decimal) else decimal_text(value) if value.is_finite() else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _points(value: Any, where: str, key: str, c: _Collector) -> int | None:
    """Points in hundredths; more than two decimals is an error."""
    number = _number(value, where, key, c)
    if number is None:
        return None
    hundredths = number * 100
    if hundredths != hundredths.to_integral_value():
        c.add(
            where,
            "precision",
            gettext_noop("%(key)s %(value)s has more than 2 decimals; points are counted in hundredths"),
            key=key,
            value=_shown(value),
        )
        c.unreadable.add(where)
        return None
    return int(hundredths)


def _text(value: Any, where: str, key: str, c: _Collector, *, numbers: bool = False) -> str:
    """A text value, stripped. With ``numbers``, a number stands for its own text (codes, version)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if numbers and isinstance(value, int | Decimal) and not isinstance(value, bool):
        if isinstance(value, Decimal) and value.is_finite() and "E" not in str(value):
            return str(value)  # as written: an unquoted 1.10 stays "1.10"
        return decimal_text(value) if isinstance(value, Decimal) and value.is_finite() else str(value)
    c.add(where, "type", gettext_noop("%(key)s must be text"), key=key)
    return ""


def _unknown_keys(mapping: dict, allowed: tuple[str, ...], where: str, c: _Collector) -> None:
    for key in mapping:
        if key not in allowed:
            c.add(
                where,
                "unknown_key",
                gettext_noop("unknown key %(key)s (known keys here: %(allowed)s)"),
                key=_shown(key),
                allowed=", ".join(allowed),
            )


def _list(value: Any, where: str, key: str, c: _Collector) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        c.add(where, "type", gettext_noop("%(key)s must be a list"), key=key)
        return []
    return value


def _mapping(value: Any, where: str, what: str, c: _Collector) -> dict | None:
    if not isinstance(value, dict):
        c.add(where, "type", gettext_noop("%(what)s must be a mapping of keys to values"), what=what)
        return None
    return value


def _rule(node: dict, kind: Any, where: str, c: _Collector) -> Rule:
    kind_text = _text(kind, where, "rule", c)
    step = _points(node["step"], where, "step", c) if node.get("step") is not None else None
    per = _points(node["per"], where, "per", c) if node.get("per") is not None else None
    full_at = _number(node["full_at"], where, "full_at", c) if node.get("full_at") is not None else None
    zero_at = _number(node["zero_at"], where, "zero_at", c) if node.get("zero_at") is not None else None
    metric = _text(node.get("metric"), where, "metric", c) or None
    items = []
    for raw in _list(node.get("items"), where, "items", c):
        item = _mapping(raw, where, "a checklist item", c)
        if item is None:
            continue
        _unknown_keys(item, ITEM_KEYS, where, c)
        points = _points(item.get("points"), where, "items.points", c) if "points" in item else None
        if points is None and "points" not in item:
            c.add(where, "required", gettext_noop("%(key)s is required"), key="items.points")
            c.unreadable.add(where)
        items.append(ChecklistItem(title=_text(item.get("title"), where, "items.title", c), points=points or 0))
    tiers = []
    for raw in _list(node.get("tiers"), where, "tiers", c):
        tier = _mapping(raw, where, "a tier", c)
        if tier is None:
            continue
        _unknown_keys(tier, TIER_KEYS, where, c)
        for key in TIER_KEYS:
            if key not in tier:
                c.add(where, "required", gettext_noop("%(key)s is required"), key=f"tiers.{key}")
                c.unreadable.add(where)
        minimum = _number(tier.get("min"), where, "tiers.min", c) if "min" in tier else None
        points = _points(tier.get("points"), where, "tiers.points", c) if "points" in tier else None
        if minimum is not None and points is not None:
            tiers.append(Tier(min=minimum, points=points))
    return Rule(
        kind=kind_text,
        step=step,
        items=tuple(items),
        per=per,
        full_at=full_at,
        zero_at=zero_at,
        tiers=tuple(tiers),
        metric=metric,
    )


def _indicator(raw: Any, path: str, c: _Collector) -> Indicator | None:
    node = _mapping(raw, path, "an indicator", c)
    if node is None:
        return None
    code = _text(node.get("code"), path, "code", c, numbers=True)
    where = code or path
    if not code:
        c.add(where, "required", gettext_noop("%(key)s is required"), key="code")
    _unknown_keys(node, NODE_KEYS, where, c)
    children: list[Indicator] = []
    if "children" in node:
        raw_children = _list(node["children"], where, "children", c)
        if not raw_children and isinstance(node["children"], list):
            c.add(where, "empty", gettext_noop("children is empty: give the node children, or make it a leaf"))
        for index, child in enumerate(raw_children, start=1):
            parsed = _indicator(child, f"{where}.children[{index}]", c)
            if parsed is not None:
                children.append(parsed)
    rule = None
    if node.get("rule") is not None:
        rule = _rule(node, node["rule"], where, c)
    elif children and any(node.get(key) is not None for key in ALL_PARAMETERS):
        names = ", ".join(key for key in ALL_PARAMETERS if node.get(key) is not None)
        c.add(where, "rule_parameter", gettext_noop("a branch has no rule, so no %(keys)s"), keys=names)
    if node.get("points") is not None:
        points = _points(node["points"], where, "points", c)
        if points is None:
            points = 0
    elif children:
        points = sum(child.points for child in children)
    else:
        points = 0
        if "children" not in node:
            c.add(where, "required", gettext_noop("%(key)s is required"), key="points")
            c.unreadable.add(where)
    guidance = _text(node.get("guidance"), where, "guidance", c)
    evidence = []
    for entry in _list(node.get("evidence"), where, "evidence", c):
        text = _text(entry, where, "evidence", c)
        if text:
            evidence.append(text)
        elif isinstance(entry, str):
            c.add(where, "evidence", gettext_noop("an evidence entry is empty"))
    return Indicator(
        code=code,
        title=_text(node.get("title"), where, "title", c),
        points=points,
        rule=rule,
        children=tuple(children),
        guidance=guidance,
        evidence=tuple(evidence),
    )


def _header_points(document: dict, key: str, c: _Collector, *, required: bool) -> int | None:
    if document.get(key) is None:
        if required:
            c.add(key, "required", gettext_noop("%(key)s is required"), key=key)
            c.unreadable.add(key)
        return None
    points = _points(document[key], key, key, c)
    if points is None:
        c.unreadable.add(key)
    return points


def read_document(document: Any) -> Standard:
    """The valid standard in a plain document (a YAML file's mapping); raises StandardInvalid with every error."""
    return _read_document(document, _Collector())


def _read_document(document: Any, c: _Collector) -> Standard:
    if not isinstance(document, dict):
        raise StandardInvalid(
            [
                StandardError(
                    "file",
                    "type",
                    Problem(gettext_noop("the file must hold one mapping of keys (format, code, version, …)")),
                )
            ]
        )
    fmt = document.get("format")
    if fmt is None:
        c.add("format", "required", gettext_noop("%(key)s is required"), key="format")
    elif fmt != FORMAT:
        # A file of another format may mean anything: nothing else is checked.
        c.add(
            "format",
            "format",
            gettext_noop("unknown format %(format)s; this version of Fazhi reads %(known)s"),
            format=_shown(fmt),
            known=FORMAT,
        )
        raise StandardInvalid(c.errors)
    _unknown_keys(document, DOCUMENT_KEYS, "file", c)
    for key in ("code", "version", "title"):
        if document.get(key) is None:
            c.add(key, "required", gettext_noop("%(key)s is required"), key=key)
    total = _header_points(document, "total", c, required=True)
    pass_score = _header_points(document, "pass_score", c, required=False)
    bonus_cap = _header_points(document, "bonus_cap", c, required=False)
    indicators = []
    if document.get("indicators") is None:
        c.add("indicators", "empty", gettext_noop("the standard has no indicators"))
    for index, raw in enumerate(_list(document.get("indicators"), "indicators", "indicators", c), start=1):
        parsed = _indicator(raw, f"indicators[{index}]", c)
        if parsed is not None:
            indicators.append(parsed)
    bonus = []
    for index, raw in enumerate(_list(document.get("bonus"), "bonus", "bonus", c), start=1):
        item = _mapping(raw, f"bonus[{index}]", "a bonus item", c)
        if item is None:
            continue
        where = _text(item.get("code"), f"bonus[{index}]", "code", c, numbers=True) or f"bonus[{index}]"
        _unknown_keys(item, BONUS_KEYS, where, c)
        if item.get("points") is None:
            c.add(where, "required", gettext_noop("%(key)s is required"), key="points")
            points = None
        else:
            points = _points(item["points"], where, "points", c)
        bonus.append(
            BonusItem(
                code=_text(item.get("code"), where, "code", c, numbers=True),
                title=_text(item.get("title"), where, "title", c),
                points=points if points is not None else 1,  # the error is already reported
            )
        )
    veto = []
    for index, raw in enumerate(_list(document.get("veto"), "veto", "veto", c), start=1):
        item = _mapping(raw, f"veto[{index}]", "a veto item", c)
        if item is None:
            continue
        where = _text(item.get("code"), f"veto[{index}]", "code", c, numbers=True) or f"veto[{index}]"
        _unknown_keys(item, VETO_KEYS, where, c)
        veto.append(
            VetoItem(
                code=_text(item.get("code"), where, "code", c, numbers=True),
                title=_text(item.get("title"), where, "title", c),
            )
        )
    standard = Standard(
        code=_text(document.get("code"), "code", "code", c, numbers=True),
        version=_text(document.get("version"), "version", "version", c, numbers=True),
        title=_text(document.get("title"), "title", "title", c),
        source=_text(document.get("source"), "source", "source", c),
        total=total if total is not None else 0,
        pass_score=pass_score,
        bonus_cap=bonus_cap,
        indicators=tuple(indicators),
        bonus=tuple(bonus),
        veto=tuple(veto),
    )
    checked = validate(standard, unreadable=c.unreadable)
    # A header number that could not be read stands as 0 in the standard: its own checks would only repeat that.
    checked = [e for e in checked if not (e.where in HEADER_KEYS and e.where in c.unreadable)]
    errors = c.errors + _without_repeats(checked, c.errors)
    if errors:
        raise StandardInvalid(errors)
    return standard


def _without_repeats(errors: list[StandardError], reported: list[StandardError]) -> list[StandardError]:
    """Validation errors the reader has not already reported (a missing header key, a missing rule)."""
    seen = {(e.where, e.rule, str(e.message)) for e in reported}
    return [e for e in errors if (e.where, e.rule, str(e.message)) not in seen]


# ---------------------------------------------------------------------------------------------
# XLSX: a header sheet, one row per node, and sheets for checklist items, bonus and veto items

# An XLSX file is a zip archive: its parts may unpack to at most this many times the file size limit.
XLSX_EXPANSION = 20
SHEET_STANDARD, SHEET_INDICATORS, SHEET_ITEMS, SHEET_BONUS, SHEET_VETO = "标准", "指标", "检查项", "加分项", "否决项"
# Each sheet may also be named in English.
SHEET_ALIASES = {
    SHEET_STANDARD: "standard",
    SHEET_INDICATORS: "indicators",
    SHEET_ITEMS: "items",
    SHEET_BONUS: "bonus",
    SHEET_VETO: "veto",
}
STANDARD_COLUMNS = ("key", "value")
INDICATOR_COLUMNS = (
    "code",
    "parent",
    "title",
    "points",
    "rule",
    "step",
    "per",
    "full_at",
    "zero_at",
    "tiers",
    "metric",
    "guidance",
    "evidence",
)
ITEM_COLUMNS = ("indicator", "title", "points")
BONUS_COLUMNS = BONUS_KEYS
VETO_COLUMNS = VETO_KEYS
_TEXT_COLUMNS = {"code", "parent", "indicator", "key", "value"}
_WIDTHS = {"title": 36, "guidance": 48, "evidence": 30, "tiers": 24, "metric": 34, "value": 40}


def _cell(value: Any) -> Any:
    """A cell as calamine gives it, as the document holds it: whole floats as int, other floats as Decimal."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None or value == "":
        return None
    return str(value)  # dates and times: text, which the parser refuses where it wants a number


def _rows(workbook, name: str, columns: tuple[str, ...], c: _Collector, *, required: bool) -> list[tuple[int, dict]]:
    """The rows of a sheet as (row number as Excel shows it, {column key: value}), blank rows skipped."""
    names = {sheet.strip(): sheet for sheet in workbook.sheet_names}
    actual = names.get(name) or names.get(SHEET_ALIASES[name])
    if actual is None:
        if required:
            c.add("file", "sheet", gettext_noop("the workbook has no sheet named %(sheet)s"), sheet=name)
        return []
    sheet = workbook.get_sheet_by_name(actual)
    cells = sheet.to_python(skip_empty_area=False)
    if not cells:
        return []
    header = [str(value).strip().lower() if value not in (None, "") else "" for value in cells[0]]
    for key in header:
        if key and key not in columns:
            c.add(
                name,
                "unknown_key",
                gettext_noop("unknown column %(key)s (known keys here: %(allowed)s)"),
                key=key,
                allowed=", ".join(columns),
            )
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        values = {}
        for key, value in zip(header, row, strict=False):
            value = _cell(value)
            if key in columns and value is not None:
                values[key] = value
        if values:
            rows.append((number, values))
    return rows


def _split_tiers(text: Any, where: str, c: _Collector) -> list[dict] | None:
    if not isinstance(text, str):
        text = decimal_text(text) if isinstance(text, Decimal) else str(text)
    tiers = []
    for part in text.replace("；", ";").replace("：", ":").split(";"):
        if not part.strip():
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            c.add(
                where,
                "tiers",
                gettext_noop("write tiers as min:points pairs separated by semicolons, e.g. 2:3; 1:1.5; 0:0"),
            )
            c.unreadable.add(where)
            return None
        tiers.append({"min": pieces[0].strip(), "points": pieces[1].strip()})
    return tiers


def _xlsx_document(workbook, c: _Collector) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for _number, row in _rows(workbook, SHEET_STANDARD, STANDARD_COLUMNS, c, required=True):
        key = row.get("key")
        if key is None:
            continue
        key = str(key).strip()
        if key in document:
            c.add(key, "duplicate_key", gettext_noop("the key %(key)s appears twice"), key=key)
        document[key] = row.get("value")
    indicators: list[dict] = []
    nodes: dict[str, dict] = {}
    for number, row in _rows(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, c, required=True):
        code = row.get("code")
        code_text = _text(code, f"{SHEET_INDICATORS}:{number}", "code", c, numbers=True) if code is not None else ""
        where = code_text or f"{SHEET_INDICATORS}:{number}"
        node = {key: value for key, value in row.items() if key not in ("parent", "tiers", "evidence")}
        if "tiers" in row:
            tiers = _split_tiers(row["tiers"], where, c)
            if tiers is not None:
                node["tiers"] = tiers
        if "evidence" in row:
            lines = str(row["evidence"]).replace("\r\n", "\n").split("\n")
            node["evidence"] = [line for line in lines if line.strip()]
        parent = row.get("parent")
        if parent is None:
            indicators.append(node)
        else:
            parent_code = _text(parent, where, "parent", c, numbers=True)
            if parent_code not in nodes:
                c.add(
                    where,
                    "parent",
                    gettext_noop("the parent %(parent)s is not a code on a row above this one"),
                    parent=parent_code,
                )
                c.unreadable.add(where)
            else:
                nodes[parent_code].setdefault("children", []).append(node)
        if code_text:
            nodes[code_text] = node
    for number, row in _rows(workbook, SHEET_ITEMS, ITEM_COLUMNS, c, required=False):
        owner = _text(row.get("indicator"), f"{SHEET_ITEMS}:{number}", "indicator", c, numbers=True)
        if owner not in nodes:
            c.add(
                f"{SHEET_ITEMS}:{number}",
                "parent",
                gettext_noop("the checklist item names indicator %(parent)s, which is not on the indicator sheet"),
                parent=owner,
            )
            c.unreadable.add(owner or f"{SHEET_ITEMS}:{number}")
            continue
        nodes[owner].setdefault("items", []).append({k: v for k, v in row.items() if k != "indicator"})
    document["indicators"] = indicators
    bonus = [row for _number, row in _rows(workbook, SHEET_BONUS, BONUS_COLUMNS, c, required=False)]
    veto = [row for _number, row in _rows(workbook, SHEET_VETO, VETO_COLUMNS, c, required=False)]
    if bonus:
        document["bonus"] = bonus
    if veto:
        document["veto"] = veto
    return document


def _check_expansion(data: bytes, max_bytes: int) -> None:
    """Refuse a workbook whose parts unpack to more than XLSX_EXPANSION × max_bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # calamine reports the file as unreadable
    if unpacked > XLSX_EXPANSION * max_bytes:
        raise _Refused(
            "size",
            gettext_noop("the workbook unpacks to %(size)s KB, more than the limit of %(max)s KB"),
            size=math.ceil(unpacked / 1024),
            max=XLSX_EXPANSION * max_bytes // 1024,
        )


def load_xlsx(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Standard:
    """The valid standard in an XLSX workbook's bytes; raises StandardInvalid with every error of the file."""
    from python_calamine import CalamineWorkbook

    c = _Collector()
    try:
        if len(data) > max_bytes:
            _decode(data, max_bytes)  # raises the size error
        _check_expansion(data, max_bytes)
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            document = _xlsx_document(workbook, c)
        except Exception:  # calamine raises assorted errors (zip, XML, password, format) on bad files
            raise _Refused(
                "xlsx",
                gettext_noop("the file could not be read as an Excel workbook (.xlsx); save it as .xlsx and try again"),
            ) from None
    except _Refused as refused:
        raise StandardInvalid([refused.error]) from None
    return _read_document(document, c)


def _xlsx_number(value: Decimal | int | None) -> Any:
    """A number for a cell: a number Excel shows as one when a float holds it exactly, else its text."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else decimal_text(value)


def _xlsx_points(hundredths: int | None) -> Any:
    return None if hundredths is None else _xlsx_number(Decimal(hundredths) / 100)


def _indicator_rows(node: Indicator, parent: str | None):
    rule = node.rule
    yield {
        "code": node.code,
        "parent": parent,
        "title": node.title,
        "points": _xlsx_points(node.points),
        "rule": rule.kind if rule else None,
        "step": _xlsx_points(rule.step) if rule else None,
        "per": _xlsx_points(rule.per) if rule else None,
        "full_at": _xlsx_number(rule.full_at) if rule else None,
        "zero_at": _xlsx_number(rule.zero_at) if rule else None,
        "tiers": "; ".join(f"{decimal_text(t.min)}:{points_text(t.points)}" for t in rule.tiers) if rule else None,
        "metric": rule.metric if rule else None,
        "guidance": node.guidance or None,
        "evidence": "\n".join(node.evidence) or None,
    }
    for child in node.children:
        yield from _indicator_rows(child, node.code)


def _write_sheet(workbook, name: str, columns: tuple[str, ...], rows) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        sheet.append([values.get(key) if values.get(key) != "" else None for key in columns])
        for key, cell in zip(columns, sheet[sheet.max_row], strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it begins with "=": a title is never a formula
            if key in _TEXT_COLUMNS or isinstance(cell.value, str):
                cell.number_format = "@"
            if key in ("guidance", "evidence"):
                cell.alignment = wrap


def dump_xlsx(standard: Standard) -> bytes:
    """The standard as an XLSX workbook that :func:`load_xlsx` reads back to an equal standard."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [
        {"key": "format", "value": FORMAT},
        {"key": "code", "value": standard.code},
        {"key": "version", "value": standard.version},
        {"key": "title", "value": standard.title},
        {"key": "source", "value": standard.source or None},
        {"key": "total", "value": _xlsx_points(standard.total)},
        {"key": "pass_score", "value": _xlsx_points(standard.pass_score)},
        {"key": "bonus_cap", "value": _xlsx_points(standard.bonus_cap)},
    ]
    _write_sheet(workbook, SHEET_STANDARD, STANDARD_COLUMNS, [row for row in header if row["value"] is not None])
    rows = [row for node in standard.indicators for row in _indicator_rows(node, None)]
    _write_sheet(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, rows)
    items = [
        {"indicator": node.code, "title": item.title, "points": _xlsx_points(item.points)}
        for node, _depth in standard.walk()
        if node.rule is not None
        for item in node.rule.items
    ]
    _write_sheet(workbook, SHEET_ITEMS, ITEM_COLUMNS, items)
    bonus = [{"code": b.code, "title": b.title, "points": _xlsx_points(b.points)} for b in standard.bonus]
    _write_sheet(workbook, SHEET_BONUS, BONUS_COLUMNS, bonus)
    _write_sheet(workbook, SHEET_VETO, VETO_COLUMNS, [{"code": v.code, "title": v.title} for v in standard.veto])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
