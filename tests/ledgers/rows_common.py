"""Permission rows of the pages every ledger shares (fazhi/ledgers/views.py). Columns: county_admin,
township_clerk, village_clerk_elsewhere, reviewer, leader, anonymous.

Everyone with LEDGER_VIEW (administrators, clerks, recommenders, leaders) reads the index, the deadline board and
the calendar; the reviewer holds no ledger role (403). Entering or deleting calendar days and importing the
calendar is for administrators of a top-level organisation (none of the personas: 青山县 is not one, so 403).
``?org=`` outside the persona's ledger scope is a 404.
"""

ROWS = [
    ("ledger_index", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("ledger_deadlines", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("ledger_deadlines", {}, "?format=xlsx", "GET", (200, 200, 200, 403, 200, 302)),
    ("ledger_deadlines", {}, "?org={county_code}", "GET", (200, 404, 404, 403, 200, 302)),
    ("ledger_deadlines", {}, "?org={other_village_code}", "GET", (404, 404, 200, 403, 404, 302)),
    ("ledger_calendar", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("ledger_calendar", {}, "", "POST", (403, 403, 403, 403, 403, 302)),
    ("ledger_calendar_day_delete", {"calendar_day_pk": "calendar_day"}, "", "GET", (403, 403, 403, 403, 403, 302)),
    ("ledger_calendar_day_delete", {"calendar_day_pk": "calendar_day"}, "", "POST", (403, 403, 403, 403, 403, 302)),
    ("ledger_import", {"importer_key": "calendar_importer_key"}, "", "GET", (403, 403, 403, 403, 403, 302)),
    ("ledger_import", {"importer_key": "calendar_importer_key"}, "", "POST", (403, 403, 403, 403, 403, 302)),
    ("ledger_import", {"importer_key": "unknown_importer_key"}, "", "GET", (404, 404, 404, 404, 404, 302)),
    ("ledger_import_template", {"importer_key": "calendar_importer_key"}, "", "GET", (403, 403, 403, 403, 403, 302)),
    ("ledger_export", {"importer_key": "calendar_importer_key"}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("ledger_export", {"importer_key": "unknown_importer_key"}, "", "GET", (404, 404, 404, 404, 404, 302)),
]
