from django.utils.translation import gettext

from fazhi.core.problems import Problem


def translate(problem: Problem) -> str:
    """The problem's message in the active language."""
    return gettext(problem.message) % problem.params
