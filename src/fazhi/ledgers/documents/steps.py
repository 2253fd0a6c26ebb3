"""The workflow's steps after drafting, in order: one table that the pages and the API read.

Each step has a name (the pages' ``document_step`` slug and the API's url name ``api_document_<name>``), the API's
path segment, a title, and the service that records it (``services.document_<name>``, keyword-only: ``actor``,
``document`` and the step's own fields). Whether a step is open now is ``rules.allowed(name, status)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from fazhi.ledgers.documents import services


@dataclass(frozen=True)
class Step:
    name: str
    path: str  # the API's path segment after /ledgers/documents/{id}/
    title: str
    service: Callable


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("comment", "comment", gettext_lazy("Public comment"), services.document_comment),
        Step(
            "submit_review",
            "submit-review",
            gettext_lazy("Submit for legality review"),
            services.document_submit_review,
        ),
        Step("review", "review", gettext_lazy("Legality review report"), services.document_review),
        Step("decide", "decide", gettext_lazy("Collective decision"), services.document_decide),
        Step("register", "register", gettext_lazy("Registration and document number"), services.document_register),
        Step("publish", "publish", gettext_lazy("Publication"), services.document_publish),
        Step("file", "file", gettext_lazy("Filing with the government above"), services.document_file),
        Step("evaluate", "evaluate", gettext_lazy("Evaluation before expiry"), services.document_evaluate),
        Step("end", "end", gettext_lazy("Repeal, replace or declare invalid"), services.document_end),
    )
}


def step_apply(name: str, *, actor, document, **fields):
    """Record step ``name`` of ``document`` through its service (the rules, audited); KeyError for an unknown one."""
    return STEPS[name].service(actor=actor, document=document, **fields)
