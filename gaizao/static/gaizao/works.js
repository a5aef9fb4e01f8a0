// Construction dashboard and progress bulletin: ECharts charts and a Leaflet map of communities by state.
// Data comes from json_script blocks and, for the map points, a JSON URL fetched after the page has loaded; no inline
// script, so a strict Content-Security-Policy can hold.
(function () {
  var STATE_COLOURS = { not_started: "#6c757d", under_construction: "#fd7e14", done: "#198754" };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function percentAxis(extra) {
    var axis = { type: "value", min: 0, axisLabel: { formatter: "{value}%" } };
    Object.keys(extra || {}).forEach(function (key) { axis[key] = extra[key]; });
    return axis;
  }

  function progressOption(data) {
    var p = data.progress;
    var series = [{
      name: p.name, type: "line", data: p.points, showSymbol: p.points.length < 40, areaStyle: { opacity: 0.15 },
      markLine: p.milestone ? {
        symbol: "none", lineStyle: { color: "#dc3545", type: "dashed" },
        label: { formatter: p.milestone.name, position: "insideStartTop" },
        data: [{ yAxis: p.milestone.target }, { xAxis: p.milestone.date }]
      } : undefined
    }];
    var legend = [p.name];
    if (p.milestone) {
      series.push({ name: p.milestone.neededName, type: "line", data: p.milestone.needed, symbol: "none",
        lineStyle: { type: "dashed", color: "#dc3545" }, itemStyle: { color: "#dc3545" } });
      series.push({ name: p.milestone.forecastName, type: "line", data: p.milestone.forecast, symbol: "circle",
        lineStyle: { type: "dotted", color: "#6f42c1" }, itemStyle: { color: "#6f42c1" } });
      legend.push(p.milestone.neededName, p.milestone.forecastName);
    }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "" : v + "%"; } },
      legend: { top: 0, data: legend },
      grid: { left: 48, right: 24, bottom: 40, top: 40 },
      xAxis: { type: "time", max: p.milestone ? p.milestone.date : p.day },
      yAxis: percentAxis({ max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } }),
      series: series
    };
  }

  function groupedBars(data, el) {
    // Value labels on every bar only where there is room for them (not on a phone).
    var roomy = el.clientWidth / Math.max(data.labels.length, 1) > 90;
    var series = data.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data,
        label: { show: roomy, position: "top", formatter: "{c}%" } };
    });
    if (data.target != null && series.length) {
      series[0].markLine = { symbol: "none", lineStyle: { color: "#dc3545", type: "dashed" },
        label: { formatter: data.target + "%", position: "end" },
        data: [{ yAxis: data.target, name: data.targetName }] };
    }
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      legend: { top: 0 },
      grid: { left: 48, right: 44, bottom: 56, top: 40 },
      xAxis: { type: "category", data: data.labels,
        axisLabel: { interval: 0, rotate: data.labels.length > 5 ? 30 : 0 } },
      yAxis: percentAxis({ max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } }),
      series: series
    };
  }

  function itemsOption(data) {
    var d = data.items;
    return {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (params) {
          var i = params[0].dataIndex;
          return escapeHtml(d.labels[i]) + "<br>" + escapeHtml(d.texts[i]) + " · " + escapeHtml(d.data[i]) + "%";
        }
      },
      grid: { left: 8, right: 48, bottom: 24, top: 8, containLabel: true },
      xAxis: percentAxis({ max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } }),
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { interval: 0 } },
      series: [{ name: d.name, type: "bar", data: d.data, label: { show: true, position: "right", formatter: "{c}%" } }]
    };
  }

  function startedOption(data) {
    var d = data.started;
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      color: ["#0d6efd", "#adb5bd"],
      series: [{ name: d.name, type: "pie", radius: ["40%", "68%"], data: d.data,
        label: { formatter: "{c}" } }]
    };
  }

  var OPTIONS = {
    progress: progressOption,
    subdistricts: function (data, el) { return groupedBars(data.subdistricts, el); },
    ranking: function (data, el) { return groupedBars(data, el); },
    items: itemsOption,
    started: startedOption
  };

  document.querySelectorAll("[data-works-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.source);
    var build = OPTIONS[el.dataset.worksChart];
    if (!source || !build || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (el.dataset.worksChart === "items") {
      // One row per work item: the chart grows with the catalog so the names stay readable.
      el.style.height = Math.max(300, data.items.labels.length * 24 + 60) + "px";
    }
    var chart = window.echarts.init(el);
    chart.setOption(build(data, el));
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "true";
  });

  // Communities coloured by construction state. The page carries the map's settings; the points (thousands at
  // province scale) come from data-url once the page has loaded, so the page itself stays small. Tiles come from
  // the intranet's own server when configured; without them the points still show on a plain background.
  function show(id, visible) {
    var el = id && document.getElementById(id);
    if (el) { el.hidden = !visible; }
  }

  function drawPoints(map, el, settings, points) {
    var labels = {};
    settings.legend.forEach(function (item) { labels[item.state] = item.label; });
    var bounds = [];
    points.forEach(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lon], {
        radius: 8, weight: 1, color: "#fff", fillOpacity: 0.9, fillColor: STATE_COLOURS[p.state] || "#6c757d"
      }).addTo(map);
      // Popups and tooltips are built when opened: thousands of points, few of them ever looked at.
      marker.bindPopup(function () {
        var popup = document.createElement("div");
        var title = document.createElement(p.link ? "a" : "strong");
        if (p.link) { title.href = settings.detailUrl.replace("CODE", encodeURIComponent(p.code)); }
        title.textContent = p.name + " (" + p.code + ")";  // names are user text: never HTML
        popup.appendChild(title);
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(
          (labels[p.state] || p.state) + " · " + settings.doneLabel + " " + p.share + "%"));
        return popup;
      });
      marker.bindTooltip(function () {
        var tip = document.createElement("span");
        tip.textContent = p.name;
        return tip;
      });
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 16);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [20, 20] });
    }
    show(el.dataset.empty, bounds.length === 0);
    el.dataset.points = String(points.length);
  }

  document.querySelectorAll("[data-works-map]").forEach(function (el) {
    var source = document.getElementById(el.dataset.worksMap);
    if (!source || !window.L) { return; }
    var settings = JSON.parse(source.textContent);
    // No keyboard panning: it makes the whole map a focus stop around its own buttons (axe: nested-interactive);
    // the same places are listed in the table beside it.
    var map = window.L.map(el, { preferCanvas: true, keyboard: false });
    map.attributionControl.setPrefix(false);
    map.setView([35, 105], 4);
    if (settings.tiles) {
      window.L.tileLayer(settings.tiles, { maxZoom: 19, attribution: settings.attribution || "" }).addTo(map);
    }
    var legend = window.L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = window.L.DomUtil.create("div", "map-legend");
      settings.legend.forEach(function (item) {
        var row = document.createElement("div");
        var dot = document.createElement("span");
        dot.className = "map-dot";
        dot.dataset.state = item.state;
        dot.style.background = STATE_COLOURS[item.state];
        row.appendChild(dot);
        row.appendChild(document.createTextNode(" " + item.label));
        div.appendChild(row);
      });
      return div;
    };
    legend.addTo(map);
    el.dataset.rendered = "true";
    if (!el.dataset.url || !window.fetch) { return; }
    window.fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.json();
      })
      .then(function (data) { drawPoints(map, el, settings, data.points || []); })
      .catch(function () {
        show(el.dataset.error, true);
        el.dataset.points = "error";
      });
  });
})();
