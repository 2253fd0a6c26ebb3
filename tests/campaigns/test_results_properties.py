"""The set-based results path agrees with the pure engine: random standards (the scoring engine's own
strategies) and random complete sheets for several applications, written to the database, then the same
total, subtotals, bonus, counted sheets, veto and pass for every application, the same outliers and the
same ranking."""

from __future__ import annotations

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.campaigns import ranking
from fazhi.campaigns.results_sql import campaign_review_rows
from fazhi.campaigns.selectors.results import campaign_review_engine
from fazhi.indicators.scoring import MEAN, TRIMMED, sheet_score
from tests.campaigns.results_data import reviewers, scored_campaign
from tests.indicators.test_scoring_properties import sheets_for, standards

PERCENT = 10


def _ranking(rows, standard_total):
    entries = [
        ranking.Entry(
            key=app,
            composite=ranking.composite(
                {"review": 100}, {"review": ranking.review_component(r.total, standard_total)}
            ).value
            if standard_total
            else 0,
            review_total=r.total,
            subtotals=tuple(r.subtotals.values()),
            vetoed=r.vetoed,
        )
        for app, r in rows.items()
    ]
    return ranking.rank(entries, pass_score=6000, quota=2)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_the_sql_path_gives_the_engines_results_for_every_application(tree, data):
    users = reviewers(6, tree.county)
    spec = data.draw(standards(), label="standard")
    method = data.draw(st.sampled_from([MEAN, TRIMMED]), label="method")
    orgs = [tree.village, tree.community, tree.village2, tree.township]
    count = data.draw(st.integers(1, len(orgs)), label="applications")
    sheets_by_org = {}
    for org in orgs[:count]:
        n = data.draw(st.integers(5, 6) if method == TRIMMED else st.integers(1, 4), label="sheets")
        sheets_by_org[org] = [data.draw(sheets_for(spec, users[i])) for i in range(n)]
    vetoed = data.draw(st.sets(st.sampled_from(orgs[:count])), label="vetoed")
    campaign, apps = scored_campaign(tree, spec, sheets_by_org, method=method, vetoed=vetoed)

    by_sql = campaign_review_rows(campaign, percent=PERCENT)
    by_engine = campaign_review_engine(campaign)
    # the other way of summing the leaf scores (a join instead of index seeks, or the other way round)
    assert campaign_review_rows(campaign, percent=PERCENT, seek=connection.vendor != "sqlite") == by_sql

    assert set(by_sql) == set(by_engine) == {app.pk for app in apps.values()}
    for org, app in apps.items():
        sql, engine = by_sql[app.pk], by_engine[app.pk]
        assert (sql.total, sql.subtotals, sql.bonus) == (engine.total, engine.subtotals, engine.bonus), org.name
        assert list(sql.subtotals) == [top.code for top in spec.indicators]
        assert (sql.reviewers, sql.sheets, sql.vetoed, sql.passed) == (
            engine.reviewers,
            engine.sheets,
            engine.vetoed,
            engine.passed,
        )
        totals = {sheet.reviewer.pk: sheet_score(spec, sheet).total for sheet in sheets_by_org[org]}
        assert sql.outliers == ranking.outliers(totals, standard_total=spec.total, percent=PERCENT)
    assert _ranking(by_sql, spec.total) == _ranking(by_engine, spec.total)
