"""Test-only pages for includes/chart.html; never in the production URLconf.

Used with ``@pytest.mark.urls("tests.e2e.chart_urls")``. The real URLs are
included too, because base.html links to them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

BY_STATUS = {
    "type": "bar",
    "title": "各状态申报人数",
    "category_label": "状态",
    "categories": ["草稿", "资格审查中", "已退回补正", "审核通过", "不予通过"],
    "series": [{"name": "人数", "data": [12, 48, 7, 135, 3]}],
}
BY_DEPARTMENT = {
    "type": "pie",
    "title": "按主管部门分布",
    "category_label": "主管部门",
    "categories": [
        "市卫生健康委员会",
        "市教育局",
        "市自然资源和规划局",
        "市城市管理局",
        "其他",
    ],
    "series": [{"name": "申报人数", "data": [86, 54, 23, 17, 9]}],
}
BY_UNIT = {
    "type": "stacked_bar",
    "title": "各单位审查进度",
    "category_label": "单位",
    "categories": ["焦作市人民医院", "焦作市第一中学", "焦作市自来水公司"],
    "series": [
        {"name": "待审查", "data": [5, 2, 0]},
        {"name": "已通过", "data": [31, 12, 8]},
        {"name": "已退回", "data": [2, 1, None]},
    ],
}

MORE_LINK = """
<p><a href="{% url 'chart_demo_more' %}" hx-get="{% url 'chart_demo_more' %}"
      hx-target="#more" hx-swap="innerHTML" id="load-more">各单位审查进度</a></p>
<div id="more"></div>
"""

PAGE = (
    """{% extends "base.html" %}
{% block title %}统计图{% endblock title %}
{% block content %}
<h1>申报统计</h1>
<section class="card">
  {% include "includes/chart.html" with chart=by_status chart_id="by-status" %}
</section>
<section class="card">
  {% include "includes/chart.html" with chart=by_department chart_id="by-department" %}
</section>
"""
    + MORE_LINK
    + "{% endblock content %}"
)

# A page without charts that gets one later through htmx: the scripts come
# with the fragment.
LATE_PAGE = (
    """{% extends "base.html" %}
{% block content %}
<h1>申报统计</h1>
"""
    + MORE_LINK
    + "{% endblock content %}"
)

FRAGMENT = """<section class="card">
  {% include "includes/chart.html" with chart=by_unit chart_id="by-unit" %}
</section>"""

EMPTY_PAGE = """{% extends "base.html" %}
{% block content %}
{% include "includes/chart.html" with chart=empty chart_id="empty" %}
{% endblock content %}"""


def _render(source: str, request: HttpRequest) -> HttpResponse:
    context = {
        "by_status": BY_STATUS,
        "by_department": BY_DEPARTMENT,
        "by_unit": BY_UNIT,
        "empty": {"type": "bar", "title": "暂无", "categories": [], "series": []},
    }
    template = engines["django"].from_string(source)
    return HttpResponse(template.render(context, request))


def chart_demo(request: HttpRequest) -> HttpResponse:
    return _render(PAGE, request)


def chart_demo_late(request: HttpRequest) -> HttpResponse:
    return _render(LATE_PAGE, request)


def chart_demo_more(request: HttpRequest) -> HttpResponse:
    return _render(FRAGMENT, request)


def chart_demo_empty(request: HttpRequest) -> HttpResponse:
    return _render(EMPTY_PAGE, request)


urlpatterns = [
    path("chart-demo/", chart_demo, name="chart_demo"),
    path("chart-demo/late/", chart_demo_late, name="chart_demo_late"),
    path("chart-demo/more/", chart_demo_more, name="chart_demo_more"),
    path("chart-demo/empty/", chart_demo_empty, name="chart_demo_empty"),
    path("", include("gongkao.urls")),
]
