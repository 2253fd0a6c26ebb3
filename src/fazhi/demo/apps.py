from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional city and the province-scale generator behind ``fazhi demo``."""

    name = "fazhi.demo"
    label = "demo"
