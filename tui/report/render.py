"""The report as one self-contained HTML page: Jinja2, autoescaped, templates shipped
in the package (`tui/report/templates/`).

Every value reaches the page through the template, so everything is escaped for
HTML unless it is marked safe: only the charts' SVG is (matplotlib drew it from
numbers and our own labels). Text the user typed also goes through `safe_text`
first (the `shown` filter), so a control character shows as its picture, as on
the dashboard.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from fractions import Fraction
from typing import TYPE_CHECKING

from tui.views import safety
from tui.views.formats import percent_text
from tui.views.text import safe_text

if TYPE_CHECKING:
    from jinja2 import Environment

    from tui.report.data import ReportData

TEMPLATE = "report.html.j2"


def one_decimal(value: float | Fraction | None) -> str:
    """A pain score or mean as the report writes it: "3.4"; none as "-"."""
    return "-" if value is None else f"{float(value):.1f}"


def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("tui.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["shown"] = lambda text: safe_text(text, keep_layout=True)
    env.filters["percent"] = lambda share: percent_text(share, missing="-")
    env.filters["one"] = one_decimal
    return env


def render(data: ReportData) -> str:
    from markupsafe import Markup

    from tui.report import charts

    tz: tzinfo | None = data.made.tzinfo

    def local_time(moment: datetime) -> str:
        return moment.astimezone(tz).strftime("%H:%M")

    env = environment()
    env.filters["local_time"] = local_time
    return env.get_template(TEMPLATE).render(
        data=data,
        safety=safety,
        # matplotlib's SVG: numbers and our own labels only (see charts.py).
        weekly_svg=Markup(charts.weekly_chart(data.weekly)),
        pain_svg=Markup(charts.daily_pain_chart(data.daily_pain)),
        sitting_svg=Markup(charts.sitting_chart(data.sitting)),
    )
