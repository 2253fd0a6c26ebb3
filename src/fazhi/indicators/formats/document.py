"""The plain document a standard file holds (the YAML mapping, or what the XLSX reader builds) ⇄ Standard.

:func:`read_document` checks a document's structure (required and unknown keys, numbers, texts),
collecting every error, builds the :class:`~fazhi.indicators.spec.Standard` and adds every rule of
:func:`~fazhi.indicators.validation.validate`; :func:`to_document` is its inverse.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

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
    validate,
)

# The largest file read, unless the caller says otherwise (the site passes FAZHI_STANDARD_MAX_KB).
DEFAULT_MAX_BYTES = 1024 * 1024
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


def _check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise _Refused(
            "size",
            gettext_noop("the file is %(size)s KB, more than the limit of %(max)s KB"),
            size=math.ceil(len(data) / 1024),
            max=max_bytes // 1024,
        )


# ---------------------------------------------------------------------------------------------
# Standard → document


class FlowDict(dict):
    """A short mapping (a checklist item, a tier, a bonus or veto item) that YAML writes on one line."""


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
            out["items"] = [FlowDict(title=i.title, points=_points_value(i.points)) for i in rule.items]
        if rule.per is not None:
            out["per"] = _points_value(rule.per)
        if rule.full_at is not None:
            out["full_at"] = rule.full_at
        if rule.zero_at is not None:
            out["zero_at"] = rule.zero_at
        if rule.tiers:
            out["tiers"] = [FlowDict(min=t.min, points=_points_value(t.points)) for t in rule.tiers]
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
        out["bonus"] = [FlowDict(code=b.code, title=b.title, points=_points_value(b.points)) for b in standard.bonus]
    if standard.veto:
        out["veto"] = [FlowDict(code=v.code, title=v.title) for v in standard.veto]
    return out


# ---------------------------------------------------------------------------------------------
# Document → Standard


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
