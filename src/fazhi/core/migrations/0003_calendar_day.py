from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_job_heartbeat"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(editable=False, verbose_name="year")),
                ("date", models.DateField(unique=True, verbose_name="date")),
                ("is_working_day", models.BooleanField(verbose_name="working day")),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "calendar day",
                "verbose_name_plural": "calendar days",
                "ordering": ["date"],
                "indexes": [models.Index(fields=["year", "date"], name="calendar_day_year")],
            },
        ),
    ]
