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
# Creation campaigns. Campaign pages are scoped by the organising org; applications by the applicant;
# reviewers see their own assignments (not by org), whatever their role's scope.
CAMPAIGN_VIEW = "campaign.view"  # dashboards, results, applications of the subtree (read)
CAMPAIGN_MANAGE = "campaign.manage"  # create, configure, stages, assign, vetoes, results, objections, naming
APPLICATION_EDIT = "application.edit"  # apply, self-assess, upload evidence, submit
APPLICATION_RECOMMEND = "application.recommend"  # recommend / return / not recommend the subtree's applications
REVIEW_SCORE = "review.score"  # may be put in a campaign's pool of reviewers and inspectors
# The ledgers (台账): read the subtree's records and metrics; enter, change and import them.
LEDGER_VIEW = "ledger.view"
LEDGER_EDIT = "ledger.edit"

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    ADMINISTRATOR: frozenset(
        {
            ORG_VIEW,
            ORG_CHANGE,
            MEMBERSHIP_MANAGE,
            AUDIT_VIEW,
            STANDARD_VIEW,
            STANDARD_CHANGE,
            CAMPAIGN_VIEW,
            CAMPAIGN_MANAGE,
            APPLICATION_RECOMMEND,
            LEDGER_VIEW,
            LEDGER_EDIT,
        }
    ),
    CLERK: frozenset({ORG_VIEW, STANDARD_VIEW, APPLICATION_EDIT, LEDGER_VIEW, LEDGER_EDIT}),
    RECOMMENDER: frozenset({ORG_VIEW, STANDARD_VIEW, APPLICATION_RECOMMEND, LEDGER_VIEW}),
    REVIEWER: frozenset({ORG_VIEW, STANDARD_VIEW, REVIEW_SCORE}),
    LEADER: frozenset({ORG_VIEW, STANDARD_VIEW, CAMPAIGN_VIEW, LEDGER_VIEW}),
}


def roles_with(capability: str) -> frozenset[str]:
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if capability in caps)
