from django.apps import AppConfig


class CliConfig(AppConfig):
    """Holds the ``fazhi`` sub-commands (management commands): wiring only."""

    name = "fazhi.cli"
    label = "cli"
