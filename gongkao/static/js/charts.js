// Dashboard charts (progressive enhancement of includes/chart.html).
//
// Every element with data-chart="ID" names a <script type="application/json"
// id="ID"> written by Django's json_script filter:
//   {"type": "bar" | "pie" | "stacked_bar", "title": "…",
//    "categories": ["…"], "series": [{"name": "…", "data": [1, 2]}]}
// The numbers are always in the HTML table next to the chart, so without
// JavaScript (or ECharts) nothing is lost. Charts are drawn as SVG (crisp in
// screenshots and print) and never use inline markup styles, so the page's
// CSP (style-src 'self') holds; tooltips are drawn inside the SVG for the
// same reason.
(function () {
  "use strict";

  // Loaded twice when the include is used twice on a page: run once.
  if (window.gongkaoCharts) {
    return;
  }

  // The site's brand red first, then colours that stay distinct in greyscale
  // print and for common colour-vision deficiencies.
  var PALETTE = ["#b42318", "#1d4ed8", "#d97706", "#137333", "#6d28d9",
    "#0e7490", "#9f1239", "#52606d"];
  var INK = "#1f2933";
  var MUTED = "#52606d";
  var LINE = "#d9e2ec";

  var charts = []; // {el, chart, spec, narrow}

  function reducedMotion() {
    return Boolean(window.matchMedia &&
      window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function fontFamily(el) {
    return window.getComputedStyle(el).fontFamily || "sans-serif";
  }

  function textWidth(text) {
    // Half-width units: a Chinese character is about twice a digit.
    var width = 0;
    for (var i = 0; i < text.length; i += 1) {
      width += text.charCodeAt(i) > 0x2e7f ? 2 : 1;
    }
    return width;
  }

  function barOption(spec, stacked, el) {
    var categories = spec.categories || [];
    var series = spec.series || [];
    var longest = 0;
    categories.forEach(function (c) { longest = Math.max(longest, textWidth(String(c))); });
    // Slant the labels when they would not fit side by side.
    var room = el.clientWidth / Math.max(categories.length, 1) / 7;
    var rotate = longest > room ? 30 : 0;
    return {
      legend: series.length > 1 ? { top: 28, textStyle: { color: INK } } : undefined,
      grid: {
        left: 8, right: 16, bottom: 8,
        top: series.length > 1 ? 64 : 44,
        containLabel: true
      },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: categories,
        axisTick: { alignWithLabel: true },
        axisLine: { lineStyle: { color: MUTED } },
        axisLabel: { color: INK, interval: 0, rotate: rotate, hideOverlap: true }
      },
      yAxis: {
        type: "value",
        minInterval: 1,
        axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: LINE } }
      },
      series: series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          data: s.data,
          stack: stacked ? "total" : undefined,
          barMaxWidth: 48,
          label: {
            show: true,
            position: stacked ? "inside" : "top",
            color: stacked ? "#fff" : INK,
            // No "0" drawn over an empty segment of a stacked bar.
            formatter: function (p) { return p.value ? String(p.value) : ""; }
          },
          emphasis: { focus: "series" }
        };
      })
    };
  }

  // Below this width a pie's outside labels would be cut off: the legend
  // carries the numbers instead.
  var NARROW = 480;

  function isNarrow(el) {
    return el.clientWidth < NARROW;
  }

  function pieOption(spec, el) {
    var categories = spec.categories || [];
    var first = (spec.series || [])[0] || { name: "", data: [] };
    var values = {};
    categories.forEach(function (name, i) { values[name] = first.data[i]; });
    var narrow = isNarrow(el);
    return {
      legend: narrow ? {
        bottom: 0,
        itemGap: 6,
        textStyle: { color: INK },
        formatter: function (name) { return name + " " + values[name]; }
      } : { type: "scroll", bottom: 0, textStyle: { color: INK } },
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      series: [{
        name: first.name,
        type: "pie",
        radius: narrow ? ["26%", "48%"] : ["34%", "62%"],
        center: narrow ? ["50%", "40%"] : ["50%", "52%"],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
        label: narrow ? { show: false } : { color: INK, formatter: "{b}\n{c}（{d}%）" },
        data: categories.map(function (name, i) {
          return { name: name, value: first.data[i] };
        })
      }]
    };
  }

  function optionFor(spec, el) {
    var option = spec.type === "pie" ? pieOption(spec, el)
      : barOption(spec, spec.type === "stacked_bar", el);
    var animate = !reducedMotion();
    option.animation = animate;
    option.stateAnimation = { duration: animate ? 300 : 0 };
    option.color = PALETTE;
    option.textStyle = { fontFamily: fontFamily(el) };
    option.title = {
      text: spec.title || "",
      left: "center",
      textStyle: { fontSize: 15, fontWeight: 600, color: INK }
    };
    // Inside the SVG, not an HTML overlay built with inline style attributes.
    option.tooltip.renderMode = "richText";
    option.tooltip.confine = true;
    return option;
  }

  function initChart(el) {
    if (el.hasAttribute("data-chart-ready")) {
      return;
    }
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      return; // the table still shows the numbers
    }
    el.setAttribute("data-chart-ready", "");
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(optionFor(spec, el));
    charts.push({ el: el, chart: chart, spec: spec, narrow: isNarrow(el) });
  }

  function initAll() {
    if (!window.echarts) {
      whenEchartsLoads(initAll);
      return;
    }
    prune();
    document.querySelectorAll("[data-chart]").forEach(initChart);
  }

  // When htmx swaps in the include, it re-inserts the script tags, which
  // run in any order: wait for ECharts itself.
  function whenEchartsLoads(callback) {
    document.querySelectorAll("script[data-echarts]").forEach(function (tag) {
      tag.addEventListener("load", function () {
        if (window.echarts) {
          callback();
        }
      }, { once: true });
    });
  }

  // Forget charts whose elements an htmx swap removed.
  function prune() {
    charts = charts.filter(function (item) {
      if (item.el.isConnected) {
        return true;
      }
      item.chart.dispose();
      return false;
    });
  }

  function resizeAll() {
    prune();
    charts.forEach(function (item) {
      var narrow = isNarrow(item.el);
      if (narrow !== item.narrow) {
        // Crossed the phone/desktop line: lay the chart out afresh.
        item.narrow = narrow;
        item.chart.setOption(optionFor(item.spec, item.el), true);
      }
      item.chart.resize();
    });
  }

  var pending = false;
  function scheduleResize() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        resizeAll();
      });
    }
  }

  // The ECharts instance drawn in `el`. (When the include appears twice,
  // echarts.min.js runs twice and window.echarts.getInstanceByDom may be
  // asked of the wrong copy; ask here instead.)
  function instanceFor(el) {
    for (var i = 0; i < charts.length; i += 1) {
      if (charts[i].el === el) {
        return charts[i].chart;
      }
    }
    return null;
  }

  window.gongkaoCharts = { init: initAll, resize: resizeAll, instanceFor: instanceFor };

  window.addEventListener("resize", scheduleResize);
  // Paper is narrower than the screen: redraw for print and back.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  document.addEventListener("htmx:afterSwap", initAll);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
}());
