"""The clerk's self-assessment page with scores from records, as a ratio to the same page without them.

    uv run python bench/application_page.py            # SQLite in var/bench-application-page/
    uv run python bench/application_page.py --runs 30

Loads the demo city once (``demo_city_load``: its orgs, standards and ledger records), then makes (or reuses) a
campaign on the shipped city/county standard in its application stage, judging the year of the demo's ledger
records, and an editable application of the demo city (the largest subtree of records). It times, each the
median of ``--runs`` hot GETs of ``/campaigns/applications/<pk>/`` by the city's clerk:

- **records**: the campaign scores its metric-bound leaves from the ledgers (every GET recomputes them);
- **by hand**: the same page with ``scores_from_records`` off (no metric computed);

and prints the queries and times (median and fastest) of both and their ratio. Not a test; record the figures in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "city-county-rule-of-law-government"
TITLE = "基准：依法行政示范创建（台账计分）"


def setup_django() -> None:
    if not os.environ.get("FAZHI_DATABASE_URL"):
        os.environ.setdefault("FAZHI_VAR_DIR", str(ROOT / "var" / "bench-application-page"))
        Path(os.environ["FAZHI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_TASKS_BACKEND", "immediate")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def prepare():
    from django.core.management import call_command

    from fazhi.campaigns.models import Application, Campaign, CampaignKind, Stage
    from fazhi.demo.city import demo_city_load
    from fazhi.indicators.models import Standard
    from fazhi.ledgers.disputes.models import Mediation
    from fazhi.orgs.accounts import membership_add, user_create
    from fazhi.orgs.models import Org, User

    call_command("migrate", verbosity=0)
    if not Org.objects.exists():
        started = time.perf_counter()
        demo_city_load()
        say(f"loaded the demo city in {time.perf_counter() - started:.1f} s")
    city = Org.objects.filter(kind="city").order_by("path").first()
    standard = Standard.objects.filter(code__startswith=STANDARD, status="published").order_by("-pk").first()
    # judge the year holding most of the demo's records
    year = Mediation.objects.dates("screened_on", "year").last().year
    campaign = Campaign.objects.filter(title=TITLE).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            organiser=city.parent or city, kind=CampaignKind.LAW_BASED_ADMINISTRATION, title=TITLE,
            batch="基准", year=year + 1, standard=standard, pass_score=6000, quota=3, stage=Stage.APPLICATION,
            scores_from_records=True,
        )  # fmt: skip
    application = Application.objects.filter(campaign=campaign, org=city).first()
    if application is None:
        application = Application.objects.create(campaign=campaign, org=city)
    user = User.objects.filter(username="bench_clerk").first()
    if user is None:  # the city's clerk
        user = user_create(actor=None, username="bench_clerk", full_name="基准填报员", password="bench-password-1")
        membership_add(actor=None, user=user, org=city, role="clerk")
    return campaign, application, user


def measure(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection

    client.get(url)  # warm
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from fazhi.campaigns.models import Campaign
    from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    campaign, application, user = prepare()
    client = Client()
    client.force_login(user)
    url = f"/campaigns/applications/{application.pk}/"
    say(f"{platform.platform()}, Python {platform.python_version()}, {connection.vendor}; {args.runs} runs each")
    Campaign.objects.filter(pk=campaign.pk).update(scores_from_records=True)
    bound = len(campaign_metric_leaves(Campaign.objects.get(pk=campaign.pk)))
    records, records_min, records_queries = measure(client, url, args.runs)
    Campaign.objects.filter(pk=campaign.pk).update(scores_from_records=False)
    by_hand, by_hand_min, by_hand_queries = measure(client, url, args.runs)
    Campaign.objects.filter(pk=campaign.pk).update(scores_from_records=True)
    say(
        f"records ({bound} metric-bound leaves): median {records * 1000:6.1f} ms, min {records_min * 1000:6.1f} ms, "
        f"{records_queries} queries"
    )
    say(
        f"by hand:                           median {by_hand * 1000:6.1f} ms, min {by_hand_min * 1000:6.1f} ms, "
        f"{by_hand_queries} queries"
    )
    say(f"ratio records ÷ by hand: median {records / by_hand:.2f}, min {records_min / by_hand_min:.2f}")


if __name__ == "__main__":
    main()
