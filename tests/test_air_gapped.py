"""No page loads anything from outside the site: Fazhi runs on air-gapped government intranets.

Every named URL of ``fazhi.urls`` is found by walking the URL resolver, so a page added later is fetched
without anyone listing it here; a URL with parameters needs a sample object from ``samples()`` below (a test
says so when one is missing). Each page is fetched as every persona and anonymously, as a full page and as
an htmx fragment, and every ``src``, ``href``, ``action``, ``hx-*`` URL, CSS ``url()``/``@import`` and
inline-script URL must stay on the site. Local static references must point at files that exist.
The vendored static files are scanned for references that a browser would fetch from outside.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from fazhi.core.models import Job
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.world import build_world, world_samples
from tests.factories import PERSONAS
from tests.pages import named_urls
from tests.test_permissions import standard_objects

# An absolute http(s) URL or a protocol-relative one ("//cdn.example.com/x.js").
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
SAFE_SCHEMES = re.compile(r"^\s*(?:data|mailto|tel|javascript|blob):", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.IGNORECASE)
SOURCE_MAP = re.compile(r"sourceMappingURL\s*=\s*(\S+)")
# In scripts: an http(s) URL, or a protocol-relative one opening a string literal ("//host.tld/…").
SCRIPT_URL = re.compile(
    r"""(?:\bhttps?:|(?<=["'`]))//[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?(?:/[^\s'"`)]*)?""", re.IGNORECASE
)
# Identifiers that look like URLs but are never fetched: XML namespaces.
NAMESPACES = ("http://www.w3.org/",)
URL_ATTRIBUTES = {
    "src",
    "href",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "manifest",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-patch",
    "hx-delete",
}


def is_external(url: str) -> bool:
    return bool(EXTERNAL.match(url)) and not SAFE_SCHEMES.match(url) and not url.startswith(NAMESPACES)


def css_references(css: str) -> Iterator[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for match in CSS_URL.finditer(css):
        yield match.group(2)
    for match in CSS_IMPORT.finditer(css):
        yield match.group(1)


class References(HTMLParser):
    """Every URL a page refers to, as (where, url)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.found.append((f"<{tag} {name}>", value))
            elif name in {"srcset", "imagesrcset"}:
                self.found += [(f"<{tag} {name}>", part.split()[0]) for part in value.split(",") if part.strip()]
            elif name == "style":
                self.found += [(f"<{tag} style>", url) for url in css_references(value)]
            elif name == "content" and dict(attrs).get("http-equiv", "").lower() == "refresh":
                self.found.append((f"<{tag} refresh>", value.partition("url=")[2] or value))
        self._in = tag if tag in {"style", "script"} else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.found += [("<style>", url) for url in css_references(data)]
        elif self._in == "script":
            self.found += [("<script>", m.group(0)) for m in SCRIPT_URL.finditer(data)]


def references(html: str) -> list[tuple[str, str]]:
    parser = References()
    parser.feed(html)
    parser.close()
    return parser.found


def static_path(url: str) -> str | None:
    """The static file a site-local URL names, or None when it is not under STATIC_URL."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path[len(prefix) :] if path.startswith(prefix) else None


# --- the pages -------------------------------------------------------------------------------------------------


def samples(tree, personas) -> dict[str, Callable]:
    """For each kind of object a URL names, a function of the persona giving a sample's pk.

    The key is the URL parameter's name without ``_pk``/``_id`` (``org_pk`` → ``org``), or for a bare
    ``pk`` the URL name's first word (``org_detail`` → ``org``). Add an entry when a new kind of page lands.
    """
    jobs = {}
    for name, user in personas.items():
        if user is not None:
            jobs[name] = Job.objects.create(
                kind="orgs.import",
                title="导入组织机构",
                owner=user,
                status=Job.Status.REFUSED,
                summary={"errors_total": 1, "lines": []},
                errors=[{"row": 3, "column": "代码", "value": "99010100X", "message": "bad check digit"}],
            ).pk
    membership = personas["township_clerk"].memberships.get()
    standards = standard_objects(tree)
    token = api_token_create(actor=None, user=personas["county_admin"], name="脚本")[0].pk
    world = build_world(tree, personas)
    return {
        **{kind: (lambda persona, key=key: world[key]) for kind, key in world_samples().items()},
        "org": lambda persona: tree.county.pk,
        "job": lambda persona: jobs.get(persona, max(jobs.values())),
        "membership": lambda persona: membership.pk,
        "user": lambda persona: personas["township_clerk"].pk,
        "standard": lambda persona: standards["draft_standard"],
        "indicator": lambda persona: standards["draft_leaf"],
        "bonus": lambda persona: standards["draft_bonus"],
        "veto": lambda persona: standards["draft_veto"],
        "org_code": lambda persona: tree.county.code,
        "standard_code": lambda persona: "yfxz-county",
        "version": lambda persona: "2025",
        "token": lambda persona: token,
    }


def kinds_of(name: str, params: tuple[str, ...]) -> dict[str, str]:
    short = name.rsplit(":", 1)[-1]
    return {p: short.split("_")[0] if p in {"pk", "id"} else re.sub(r"_(pk|id)$", "", p) for p in params}


def test_every_parameterised_url_has_a_sample(tree, personas):
    known = samples(tree, personas)
    missing = sorted(
        f"{name} ({param} → {kind})"
        for name, params in named_urls()
        for param, kind in kinds_of(name, params).items()
        if kind not in known
    )
    assert missing == [], "add a sample object to samples() in tests/test_air_gapped.py for: " + ", ".join(missing)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_refers_outside_the_site(persona, tree, personas, client_for):
    known = samples(tree, personas)
    client = client_for(persona)
    problems, pages_read = [], 0
    for name, params in named_urls():
        kinds = kinds_of(name, params)
        if any(kind not in known for kind in kinds.values()):
            continue  # reported by test_every_parameterised_url_has_a_sample
        url = reverse(name, kwargs={param: known[kind](persona) for param, kind in kinds.items()})
        for headers in ({}, {"HX-Request": "true"}):
            try:
                response = client.get(url, headers=headers)
            except Exception as exc:  # a crashing page cannot be checked; say which
                problems.append(f"{url} raised {exc!r}")
                continue
            if not response.get("Content-Type", "").startswith("text/html") or not response.content:
                continue
            pages_read += 1
            for where, ref in references(response.content.decode(response.charset or "utf-8")):
                if is_external(ref):
                    problems.append(f"{url}{' (htmx)' if headers else ''}: {where} {ref}")
                elif (path := static_path(ref)) is not None and finders.find(path) is None:
                    problems.append(f"{url}: {where} {ref} names a static file that does not exist")
    assert problems == []
    assert pages_read >= 2, "no pages were read: the URL walk found nothing"


# --- the vendored static files ---------------------------------------------------------------------------------

STATIC_ROOT = Path(settings.PACKAGE_DIR) / "static"
# URLs in vendored JavaScript that are shown to developers, never fetched; each was read in its context.
MENTIONED_NOT_FETCHED = {
    "https://github.com/floating-ui/popper-docs/blob/main/docs/v2/index.md",  # Bootstrap's error message
}


def strip_licence_comments(text: str) -> str:
    """Drop /*! … */ banners and the leading comment, where vendored files name their home pages."""
    text = re.sub(r"/\*!.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"^\s*/\*.*?\*/", "", text, flags=re.DOTALL)


def static_problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    problems = [f"sourceMappingURL={m.group(1)}" for m in SOURCE_MAP.finditer(text) if is_external(m.group(1))]
    if path.suffix == ".css":
        problems += [ref for ref in dict.fromkeys(css_references(text)) if is_external(ref)]
    elif path.suffix in {".js", ".mjs"}:
        body = strip_licence_comments(text)
        problems += [
            url
            for url in (m.group(0) for m in SCRIPT_URL.finditer(body))
            if is_external(url) and url not in MENTIONED_NOT_FETCHED
        ]
    elif path.suffix in {".html", ".svg"}:
        problems += [f"{where} {ref}" for where, ref in references(text) if is_external(ref)]
    return problems


def static_files() -> list[Path]:
    return sorted(p for p in STATIC_ROOT.rglob("*") if p.suffix in {".css", ".js", ".mjs", ".html", ".svg"})


def test_vendored_static_files_fetch_nothing_from_outside():
    files = static_files()
    assert any("htmx" in p.name for p in files), "the static folder was not found"
    problems = {str(p.relative_to(STATIC_ROOT)): found for p in files if (found := static_problems(p))}
    assert problems == {}


# --- the detectors themselves ----------------------------------------------------------------------------------


def test_the_page_scanner_catches_each_kind_of_outside_reference():
    html = """<html><head>
      <link rel="stylesheet" href="https://cdn.example.com/a.css">
      <script src="//cdn.example.com/b.js"></script>
      <style>@import url("http://fonts.example.com/c.css"); body { background: url(https://x.example/d.png) }</style>
      <script>fetch("https://api.example.com/e")</script>
    </head><body style="background-image: url('//img.example.com/f.png')">
      <form action="https://collect.example.com/g"></form>
      <img srcset="/static/ok.png 1x, https://img.example.com/h.png 2x">
      <div hx-get="https://api.example.com/i"></div>
      <a href="/orgs/">local</a><a href="#top">anchor</a><a href="mailto:a@b.cn">mail</a>
      <svg xmlns="http://www.w3.org/2000/svg"></svg><img src="data:image/png;base64,AAAA">
    </body></html>"""
    found = {ref.rsplit("/", 1)[-1] for _, ref in references(html) if is_external(ref)}
    assert found == {"a.css", "b.js", "c.css", "d.png", "e", "f.png", "g", "h.png", "i"}


def test_the_static_scanner_catches_remote_imports_and_source_maps(tmp_path):
    css = tmp_path / "x.css"
    css.write_text(
        '/*! https://example.com/home */ @import url("https://fonts.example.com/a.css");'
        ".i{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")}"
        "\n/*# sourceMappingURL=https://cdn.example.com/x.css.map */"
    )
    js = tmp_path / "x.js"
    js.write_text('/*! see https://example.com */ var ns="http://www.w3.org/2000/svg";fetch("https://t.example.cn/p")')
    assert static_problems(css) == [
        "sourceMappingURL=https://cdn.example.com/x.css.map",
        "https://fonts.example.com/a.css",
    ]
    assert static_problems(js) == ["https://t.example.cn/p"]
