"""Every named page of the site, found by walking the URL resolver (shared by the page-table tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def named_urls(patterns=None, namespace: str = "", params: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple]]:
    """(URL name, parameter names) for every named URL pattern, walking includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
        found = found or tuple(getattr(entry.pattern, "regex", re.compile("")).groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry.url_patterns, inner, params + found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, params + found
