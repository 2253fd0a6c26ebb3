"""YAML standard files: a safe loader with limits, and a writer whose output the loader reads back equal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from fazhi.core.problems import gettext_noop
from fazhi.indicators.formats.document import (
    DEFAULT_MAX_BYTES,
    FlowDict,
    _check_size,
    _Refused,
    read_document,
    to_document,
)
from fazhi.indicators.spec import Standard
from fazhi.indicators.validation import StandardInvalid, decimal_text

# The deepest nesting of YAML collections accepted (an indicator tree of depth d nests about 2d + 1).
MAX_DEPTH = 40


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
    _check_size(data, max_bytes)
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


_Dumper.add_representer(FlowDict, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))


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
