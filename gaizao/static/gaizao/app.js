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

  function charts(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || !window.echarts || el.dataset.rendered) { return; }
      barChart(el, JSON.parse(source.textContent));
    });
  }
  charts();
  // a page part swapped in by htmx (a scenario that has just finished) brings its chart with it
  document.body.addEventListener("htmx:load", function (event) { charts(event.detail.elt); });
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

// Community maps (Leaflet). Tiles come from the intranet's own server when configured; without them the
// points still show on a plain background.
(function () {
  document.querySelectorAll("[data-map]").forEach(function (el) {
    var source = document.getElementById(el.dataset.map);
    if (!source || !window.L) { return; }
    var data = JSON.parse(source.textContent);
    // No keyboard panning: it makes the whole map a focus stop around its own buttons (axe: nested-interactive);
    // the same places are listed in the table beside it.
    var map = window.L.map(el, { preferCanvas: true, keyboard: false });
    map.attributionControl.setPrefix(false);
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
    }
    function fit(bounds) {
      if (!bounds.length) { map.setView([35, 105], 4); return; }
      if (bounds.length === 1) { map.setView(bounds[0], 16); } else { map.fitBounds(bounds, { padding: [20, 20] }); }
    }
    function dots(points) {
      var bounds = [];
      points.forEach(function (p) {
        var marker = window.L.circleMarker([p.lat, p.lng], {
          radius: 7, weight: 1, color: "#fff", fillOpacity: 0.9,
          fillColor: p.eligible ? "#198754" : "#6c757d"
        }).addTo(map);
        var link = document.createElement("a");
        link.href = data.detailUrl.replace("CODE", encodeURIComponent(p.code));
        link.textContent = p.name + " (" + p.code + ")";
        marker.bindPopup(link);
        var tip = document.createElement("span");
        tip.textContent = p.name;  // names are user text: never HTML
        marker.bindTooltip(tip);
        bounds.push([p.lat, p.lng]);
      });
      return bounds;
    }
    // Too many communities for a dot each: one circle per sub-district, its area growing with its count, opening
    // the list of its communities.
    function groups(points) {
      var most = Math.max.apply(null, points.map(function (p) { return p.count; }).concat([1]));
      return points.map(function (p) {
        var marker = window.L.circleMarker([p.lat, p.lng], {
          radius: 5 + 15 * Math.sqrt(p.count / most), weight: 1, color: "#fff", fillOpacity: 0.75,
          fillColor: "#0b5ed7"
        }).addTo(map);
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = (data.legend.groupLabel || "%(name)s %(count)s")
          .replace("%(name)s", p.name).replace("%(count)s", p.count.toLocaleString())
          .replace("%(eligible)s", p.eligible.toLocaleString());
        marker.bindPopup(link);
        var tip = document.createElement("span");
        tip.textContent = p.name;
        marker.bindTooltip(tip);
        return [p.lat, p.lng];
      });
    }
    if (data.url && window.fetch) {
      window.fetch(data.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { points: [] }; })
        .then(function (found) {
          fit(found.grouped ? groups(found.points) : dots(found.points));
          el.dataset.grouped = found.grouped ? "true" : "false";
          var key = el.querySelector(".map-legend");
          if (found.grouped && key && data.legend.group) {
            key.textContent = "";
            var dot = document.createElement("span");
            dot.className = "map-dot";
            dot.style.background = "#0b5ed7";
            key.appendChild(dot);
            key.appendChild(document.createTextNode(" " + data.legend.group));
          }
          el.dataset.rendered = "true";
        });
    } else {
      fit(dots(data.points || []));
    }
    var legend = window.L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = window.L.DomUtil.create("div", "map-legend");
      [["#198754", data.legend.eligible], ["#6c757d", data.legend.excluded]].forEach(function (item) {
        var row = document.createElement("div");
        var dot = document.createElement("span");
        dot.className = "map-dot";
        dot.dataset.color = item[0];
        dot.style.background = item[0];
        row.appendChild(dot);
        row.appendChild(document.createTextNode(" " + item[1]));
        div.appendChild(row);
      });
      return div;
    };
    legend.addTo(map);
    if (!data.url) { el.dataset.rendered = "true"; }
  });
})();

// On a phone a list's rows become cards: each cell carries its column's heading (data-label), which the phone
// stylesheet shows before the value. Tables marked .table-keep (wide comparisons read across) stay tables.
(function () {
  function label(root) {
    (root || document).querySelectorAll(".table-responsive > table:not(.table-keep)").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
        return th.textContent.replace(/[▲▼↑↓⇅]/g, "").trim();
      });
      if (!heads.length) { return; }
      table.classList.add("table-stack");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[column]) { cell.setAttribute("data-label", heads[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  label();
  document.body.addEventListener("htmx:load", function (event) { label(event.detail.elt); });
})();
