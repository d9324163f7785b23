"""includes/chart.html in headless Chromium: ECharts draws SVG under the site's
CSP, the numbers are also a table, and without JavaScript the table remains.
Screenshots: test-output/screenshots/charts*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.e2e.chart_urls"),
]

OFFICE_PC = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}

# Records CSP violations, which Chromium otherwise only logs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def problems(page: Page):
    """Console errors and warnings, page errors and CSP violations."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: (
            found.append(f"console.{msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"pageerror: {error}"))
    page.add_init_script(WATCH_CSP)
    # base.html declares no icon; Chromium's guess would log a 404.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return found


def _csp_violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations"))


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    # The test is only meaningful under the real policy.
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp


def _table_rows(page: Page, block: str) -> list[list[str]]:
    rows = page.locator(f"#chart-block-{block} table tr")
    return [row.locator("th, td").all_inner_texts() for row in rows.all()]


def test_bar_and_pie_charts_render_as_svg_with_tables(
    live_server, page, problems, screenshot_dir
):
    page.set_viewport_size(OFFICE_PC)
    _open(page, f"{live_server.url}/chart-demo/")

    for chart in ("by-status", "by-department"):
        container = page.locator(f"#chart-{chart}")
        expect(container.locator("svg")).to_have_count(1)
        expect(container).to_have_attribute("data-chart-ready", "")
        assert container.bounding_box()["height"] == 320
    # ECharts draws the labels as SVG text in the page's Chinese font.
    expect(page.locator("#chart-by-status svg")).to_contain_text("资格审查中")
    expect(page.locator("#chart-by-status svg")).to_contain_text("135")
    expect(page.locator("#chart-by-department svg")).to_contain_text("市教育局")
    font = page.locator("#chart-by-status svg text").first.evaluate(
        "t => getComputedStyle(t).fontFamily"
    )
    assert "Noto Sans CJK SC" in font

    assert _table_rows(page, "by-status") == [
        ["状态", "人数"],
        ["草稿", "12"],
        ["资格审查中", "48"],
        ["已退回补正", "7"],
        ["审核通过", "135"],
        ["不予通过", "3"],
    ]
    expect(page.locator("#chart-block-by-status caption")).to_have_text(
        "各状态申报人数"
    )
    assert _table_rows(page, "by-department")[2] == ["市教育局", "54"]

    # Tooltips are drawn inside the SVG, not as HTML with inline styles.
    box = page.locator("#chart-by-status").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    page.wait_for_timeout(300)
    pie = page.locator("#chart-by-department").bounding_box()
    radius = min(pie["width"], pie["height"]) / 2 * 0.48
    page.mouse.move(
        pie["x"] + pie["width"] / 2 + radius,
        pie["y"] + pie["height"] * 0.52 + 4,
    )
    expect(page.locator("#chart-by-department svg")).to_contain_text("：")
    page.mouse.move(0, 0)

    assert _csp_violations(page) == []
    assert problems == []
    page.wait_for_timeout(600)  # let the entry animation finish
    page.screenshot(path=screenshot_dir / "charts.png", full_page=True)


def test_charts_fit_a_phone(live_server, page, problems, screenshot_dir):
    page.set_viewport_size(PHONE)
    _open(page, f"{live_server.url}/chart-demo/")

    expect(page.locator("#chart-by-department svg")).to_have_count(1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    width = page.locator("#chart-by-status svg").evaluate(
        "s => s.getBoundingClientRect().width"
    )
    assert width <= PHONE["width"]
    assert problems == []
    page.wait_for_timeout(600)
    page.screenshot(path=screenshot_dir / "charts-phone.png", full_page=True)


def test_charts_follow_window_resize(live_server, page, problems):
    page.set_viewport_size(OFFICE_PC)
    _open(page, f"{live_server.url}/chart-demo/")
    svg = page.locator("#chart-by-status svg")
    expect(svg).to_have_count(1)
    wide = svg.evaluate("s => s.getBoundingClientRect().width")

    page.set_viewport_size({"width": 700, "height": 768})

    page.wait_for_function(
        "w => document.querySelector('#chart-by-status svg')"
        ".getBoundingClientRect().width < w",
        arg=wide,
    )
    container = page.locator("#chart-by-status").evaluate("e => e.clientWidth")
    assert svg.evaluate("s => s.getBoundingClientRect().width") == container
    assert problems == []


def test_htmx_swapped_chart_is_drawn_and_others_are_not_redrawn(
    live_server, page, problems, screenshot_dir
):
    page.set_viewport_size(OFFICE_PC)
    _open(page, f"{live_server.url}/chart-demo/")
    expect(page.locator("#chart-by-status svg")).to_have_count(1)

    page.locator("#load-more").click()

    expect(page.locator("#chart-by-unit svg")).to_have_count(1)
    expect(page.locator("#chart-by-unit svg")).to_contain_text("焦作市人民医院")
    # The include's scripts came again with the fragment; every chart is
    # still drawn exactly once.
    page.wait_for_timeout(500)
    for chart in ("by-status", "by-department", "by-unit"):
        expect(page.locator(f"#chart-{chart} svg")).to_have_count(1)
    assert _table_rows(page, "by-unit") == [
        ["单位", "待审查", "已通过", "已退回"],
        ["焦作市人民医院", "5", "31", "2"],
        ["焦作市第一中学", "2", "12", "1"],
        ["焦作市自来水公司", "0", "8", "—"],
    ]
    assert _csp_violations(page) == []
    assert problems == []
    page.locator("#more").screenshot(path=screenshot_dir / "charts-stacked.png")


def test_chart_arriving_by_htmx_on_a_page_without_charts(live_server, page, problems):
    page.set_viewport_size(OFFICE_PC)
    _open(page, f"{live_server.url}/chart-demo/late/")
    assert page.evaluate("typeof window.echarts") == "undefined"

    page.locator("#load-more").click()

    expect(page.locator("#chart-by-unit svg")).to_have_count(1)
    assert _csp_violations(page) == []
    assert problems == []


def test_no_animation_when_reduced_motion_is_preferred(live_server, page, problems):
    page.emulate_media(reduced_motion="reduce")
    _open(page, f"{live_server.url}/chart-demo/")
    expect(page.locator("#chart-by-status svg")).to_have_count(1)

    animation = page.evaluate(
        "gongkaoCharts.instanceFor(document.getElementById('chart-by-status'))"
        ".getOption().animation"
    )

    assert animation is False
    assert problems == []


def test_empty_chart_shows_only_an_empty_table(live_server, page, problems):
    _open(page, f"{live_server.url}/chart-demo/empty/")

    expect(page.locator("#chart-block-empty td")).to_have_text("暂无数据")
    expect(page.locator("#chart-block-empty .chart")).to_have_count(0)
    assert problems == []


def test_tables_remain_without_javascript(live_server, browser, screenshot_dir):
    context = browser.new_context(java_script_enabled=False, viewport=OFFICE_PC)
    page = context.new_page()
    try:
        _open(page, f"{live_server.url}/chart-demo/")

        expect(page.locator("svg")).to_have_count(0)
        expect(page.locator("#chart-block-by-status table")).to_be_visible()
        assert _table_rows(page, "by-status")[4] == ["审核通过", "135"]
        assert _table_rows(page, "by-department")[1] == ["市卫生健康委员会", "86"]
        # No empty box is reserved for a chart that cannot be drawn: the
        # table takes the whole width.
        expect(page.locator("#chart-by-status")).to_be_hidden()
        block = page.locator("#chart-block-by-status").bounding_box()
        table = page.locator("#chart-block-by-status table").bounding_box()
        assert table["width"] == block["width"]
        # The htmx link still works as a plain link.
        expect(page.locator("#load-more")).to_have_attribute(
            "href", "/chart-demo/more/"
        )
        page.screenshot(path=screenshot_dir / "charts-no-js.png", full_page=True)
    finally:
        context.close()
