"""What each role may do, as capability codes. Pure, no Django.

A membership grants its role's capabilities over its organisation's whole subtree. Later
capabilities (ledgers, campaigns) are added here, so the one table answers "who may do what".
"""

from __future__ import annotations

ADMINISTRATOR, CLERK, RECOMMENDER, REVIEWER, LEADER = "administrator", "clerk", "recommender", "reviewer", "leader"

ORG_VIEW = "org.view"
ORG_CHANGE = "org.change"
MEMBERSHIP_MANAGE = "membership.manage"
AUDIT_VIEW = "audit.view"
STANDARD_VIEW = "standard.view"
STANDARD_CHANGE = "standard.change"

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    ADMINISTRATOR: frozenset({ORG_VIEW, ORG_CHANGE, MEMBERSHIP_MANAGE, AUDIT_VIEW, STANDARD_VIEW, STANDARD_CHANGE}),
    CLERK: frozenset({ORG_VIEW, STANDARD_VIEW}),
    RECOMMENDER: frozenset({ORG_VIEW, STANDARD_VIEW}),
    REVIEWER: frozenset({ORG_VIEW, STANDARD_VIEW}),
    LEADER: frozenset({ORG_VIEW, STANDARD_VIEW}),
}


def roles_with(capability: str) -> frozenset[str]:
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if capability in caps)
