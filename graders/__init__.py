"""Hidden checks for the course, one module per assignment plus shared helpers.

Hidden test cells call ``check_*`` functions from here so that student feedback
holds the checks' messages, not their inputs. Checks reach student code only by
calling it and inspecting the returned data (arrays, numbers, strings, figure
summaries). ``check_*`` functions return None and raise :class:`CheckFailed`.
"""
from .checks import CheckFailed  # noqa: F401
