// Behaviour for server-rendered pages; no inline script so a strict Content-Security-Policy can hold.
(function () {
  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  function barChart(el, data) {
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, bottom: 48, top: 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: [{ type: "value", name: data.yName || "" }, { type: "value", name: data.households.name }],
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "communities", data: s.data, label: { show: true, formatter: function (p) { return p.value ? p.value : ""; } } };
      }).concat([{ name: data.households.name, type: "line", yAxisIndex: 1, data: data.households.data }])
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "true";
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) { return; }
    barChart(el, JSON.parse(source.textContent));
  });
})();

// Progress bars get their width from data-width: a style attribute would need 'unsafe-inline' in the CSP.
(function () {
  function widths(root) {
    var found = Array.prototype.slice.call((root || document).querySelectorAll("[data-width]"));
    if (root && root.dataset && root.dataset.width) { found.push(root); }
    found.forEach(function (el) {
      el.style.width = el.dataset.width + "%";
    });
  }
  widths();
  document.body.addEventListener("htmx:load", function (event) { widths(event.detail.elt); });
})();
