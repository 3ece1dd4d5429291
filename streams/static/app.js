/* liveblog-streams live page: reads /api/totals, /api/totals/history, /api/blogs; follows /api/stream. */
(function () {
  "use strict";

  var CARDS = [
    { metric: "refugees", label: "Refugees" },
    { metric: "killed", label: "Killed" },
    { metric: "injured", label: "Injured" },
    { metric: "missing", label: "Missing" },
    { metric: "internally_displaced", label: "Displaced" },
    { metric: "aid", label: "Aid pledged" },
  ];
  var QUALIFIER = { at_least: "at least", at_most: "at most", approx: "about", exact: "", range: "" };
  var NUMBER = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  var COMPACT = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
  var headlines = {}; // story|metric|subject|place → headline row
  var charts = {}; // metric → {group, plot}
  var historyTimers = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function money(unit) { return unit && unit !== "people" ? unit + " " : ""; }

  function valueText(row) {
    if (row.qualifier === "range" || row.value === null) {
      return money(row.unit) + NUMBER.format(row.value_low || 0) + "–" + NUMBER.format(row.value_high || 0);
    }
    return money(row.unit) + NUMBER.format(Math.round(row.value));
  }

  function groupOf(key) { return key.split("|").slice(0, 4).join("|"); }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function loadAll(url, cursor, acc) {
    var page = url + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    return getJSON(page).then(function (body) {
      acc = (acc || []).concat(body.items);
      return body.next_cursor ? loadAll(url, body.next_cursor, acc) : acc;
    });
  }

  /* The card of a metric: people (or civilians) before narrower subjects, then the most reported (subject,
     place), then the largest; every other headline is in the table. */
  var BROAD = { people: 2, civilians: 1 };
  function cardRank(row) { return [BROAD[row.subject] || 0, row.mentions, row.value || row.value_high || 0]; }
  function better(a, b) {
    var x = cardRank(a), y = cardRank(b);
    for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] > y[i];
    return a.key < b.key;
  }
  function cardGroup(metric) {
    var best = null;
    Object.keys(headlines).forEach(function (g) {
      var row = headlines[g];
      if (row.metric === metric && (!best || better(row, best))) best = row;
    });
    return best;
  }

  function renderCards(changedGroup) {
    var root = document.getElementById("cards");
    CARDS.forEach(function (spec) {
      var row = cardGroup(spec.metric);
      var id = "card-" + spec.metric;
      var old = document.getElementById(id);
      var card;
      if (!row) {
        card = el("article", { id: id, cls: "card empty", "data-metric": spec.metric, "aria-labelledby": id + "-h" }, [
          el("h3", { id: id + "-h", text: spec.label }),
          el("p", { cls: "value", text: "no figure yet" }),
        ]);
      } else {
        var q = QUALIFIER[row.qualifier] || "";
        var asOf = row.as_of ? "as of " + row.as_of : "reported " + (row.published || "").slice(0, 16).replace("T", " ") + " UTC";
        card = el("article", { id: id, cls: "card", "data-metric": spec.metric, "data-key": row.key, "aria-labelledby": id + "-h" }, [
          el("h3", { id: id + "-h", text: spec.label }),
          el("p", { cls: "value" }, [q ? el("span", { cls: "qualifier", text: q }) : null, el("span", { cls: "number", text: valueText(row) })]),
          el("p", { cls: "what", text: row.subject + " · " + row.place }),
          el("p", { cls: "meta" }, ["Source: ", el("span", { cls: "source", text: row.source }), " · " + asOf]),
          row.conflict ? el("p", { cls: "meta" }, [el("span", { cls: "badge conflict", text: "sources disagree" })]) : null,
        ]);
        if (old && changedGroup && groupOf(row.key) === changedGroup) card.classList.add("changed");
      }
      if (old) root.replaceChild(card, old); else root.appendChild(card);
    });
  }

  function renderTable() {
    var body = document.querySelector("#sources tbody");
    var rows = Object.keys(headlines).map(function (g) { return headlines[g]; });
    rows.sort(function (a, b) { return (b.conflict - a.conflict) || a.key.localeCompare(b.key); });
    var fresh = document.createElement("tbody");
    rows.forEach(function (h) {
      var label = h.metric.replace("_", " ") + " · " + h.subject + " · " + h.place + (h.story && h.story.indexOf("blog/") !== 0 ? " · " + h.story : "");
      fresh.appendChild(el("tr", { cls: "group" }, [
        el("th", { scope: "rowgroup", colspan: "5" }, [label + " ", h.conflict ? el("span", { cls: "badge conflict", text: "conflict" }) : null]),
      ]));
      h.sources.forEach(function (s) {
        var cls = (s.agrees ? "" : "disagrees ") + (s.source === h.source ? "chosen" : "");
        fresh.appendChild(el("tr", { cls: cls.trim(), "data-group": groupOf(h.key), "data-source": s.source }, [
          el("td", { text: label }),
          el("td", { text: s.source }),
          el("td", { cls: "num", text: (QUALIFIER[s.qualifier] ? QUALIFIER[s.qualifier] + " " : "") + valueText({ value: s.value, value_low: s.value_low, value_high: s.value_high, qualifier: s.qualifier, unit: h.unit }) }),
          el("td", { text: s.as_of || "" }),
          el("td", {}, [s.agrees ? el("span", { cls: "badge ok", text: "agrees" }) : el("span", { cls: "badge conflict", text: "disagrees" })]),
        ]));
      });
    });
    body.parentNode.replaceChild(fresh, body);
  }

  function drawChart(metric, group, label) {
    var q = group.split("|");
    var url = "/api/totals/history?story=" + encodeURIComponent(q[0]) + "&metric=" + encodeURIComponent(q[1]) + "&subject=" + encodeURIComponent(q[2]) + "&place=" + encodeURIComponent(q[3]);
    return getJSON(url).then(function (h) {
      var box = document.getElementById("chart-" + metric);
      if (!box) {
        box = el("figure", { id: "chart-" + metric, cls: "chart" });
        document.getElementById("charts").appendChild(box);
      }
      box.textContent = "";
      box.appendChild(el("h3", { text: label + ": " + h.subject + " · " + h.place }));
      var names = Object.keys(h.sources).sort();
      var times = {};
      h.headline.forEach(function (p) { times[Date.parse(p.time) / 1000] = true; });
      names.forEach(function (n) { h.sources[n].forEach(function (p) { times[Date.parse(p.time) / 1000] = true; }); });
      var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
      function line(points) {
        var i = 0, last = null;
        return xs.map(function (x) {
          while (i < points.length && Date.parse(points[i].time) / 1000 <= x) { last = points[i].value !== null ? points[i].value : points[i].value_high; i++; }
          return last;
        });
      }
      var last = h.headline[h.headline.length - 1];
      var summary = label + " for " + h.subject + " in " + h.place + ": " + h.headline.length + " change(s); now " +
        (last ? valueText({ value: last.value, value_low: last.value_low, value_high: last.value_high, qualifier: last.qualifier, unit: h.unit }) + " (" + last.source + ")" : "none");
      box.appendChild(el("figcaption", { cls: "fallback", text: summary }));
      if (typeof uPlot === "undefined") return;
      var palette = ["#0b5394", "#a4121c", "#1d6b2f", "#7a4b00", "#5b2a86", "#00626b"];
      var series = [{}, { label: "headline", stroke: "#1a1a1a", width: 3, paths: uPlot.paths.stepped({ align: 1 }), points: { size: 7 } }];
      var data = [xs, line(h.headline)];
      names.forEach(function (n, i) {
        series.push({ label: n, stroke: palette[i % palette.length], width: 1.5, dash: [6, 4], paths: uPlot.paths.stepped({ align: 1 }), points: { size: 5 } });
        data.push(line(h.sources[n]));
      });
      var plotBox = el("div", { cls: "plot", role: "img", "aria-label": summary });
      box.insertBefore(plotBox, box.lastChild);
      var width = Math.max(240, Math.floor(box.getBoundingClientRect().width) - 24);
      var hour = 3600;
      var opts = {
        width: width, height: 200, series: series, legend: { live: false },
        scales: { x: { time: true, auto: false, range: [xs[0] - hour, xs[xs.length - 1] + hour] } },
        axes: [{}, { size: 56, values: function (u, v) { return v.map(function (n) { return COMPACT.format(n); }); } }],
      };
      var plot = new uPlot(opts, data, plotBox);
      charts[metric] = { group: group, plot: plot };
    }).catch(function () { /* a history that cannot be read leaves the chart as it was */ });
  }

  function renderCharts() {
    var root = document.getElementById("charts");
    CARDS.forEach(function (spec) {  // placeholders first, so the charts keep the cards' order
      if (cardGroup(spec.metric) && !document.getElementById("chart-" + spec.metric)) {
        root.appendChild(el("figure", { id: "chart-" + spec.metric, cls: "chart" }));
      }
    });
    CARDS.forEach(function (spec) {
      var row = cardGroup(spec.metric);
      if (!row) return;
      var group = groupOf(row.key);
      if (!charts[spec.metric] || charts[spec.metric].group !== group || historyTimers[spec.metric] === "dirty") {
        historyTimers[spec.metric] = null;
        drawChart(spec.metric, group, spec.label);
      }
    });
  }

  function scheduleChart(group) {
    CARDS.forEach(function (spec) {
      var row = cardGroup(spec.metric);
      if (!row || groupOf(row.key) !== group || historyTimers[spec.metric]) return;
      historyTimers[spec.metric] = setTimeout(function () { historyTimers[spec.metric] = "dirty"; renderCharts(); }, 1000);
    });
  }

  function highlight(body, figures) {
    var spans = [];
    figures.forEach(function (f) {
      var at = f.text ? body.indexOf(f.text) : -1;
      if (at >= 0 && !spans.some(function (s) { return at < s[1] && s[0] < at + f.text.length; })) spans.push([at, at + f.text.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var p = el("p"), pos = 0;
    spans.forEach(function (s) {
      p.appendChild(document.createTextNode(body.slice(pos, s[0])));
      p.appendChild(el("mark", { text: body.slice(s[0], s[1]) }));
      pos = s[1];
    });
    p.appendChild(document.createTextNode(body.slice(pos)));
    return p;
  }

  function entryItem(e) {
    var chips = el("ul", { cls: "chips", "aria-label": "Figures read from this entry" }, e.figures.map(function (f) {
      var v = f.value !== null ? NUMBER.format(Math.round(f.value)) : NUMBER.format(f.value_low || 0) + "–" + NUMBER.format(f.value_high || 0);
      return el("li", { text: f.metric.replace("_", " ") + ": " + v + (f.source ? " (" + f.source + ")" : "") });
    }));
    return el("li", { "data-entry": e.blog_id + "|" + e.entry_id }, [
      el("p", { cls: "when", text: e.published.slice(0, 16).replace("T", " ") + " UTC" + (e.outlet ? " · " + e.outlet : "") }),
      e.headline ? el("h3", { text: e.headline }) : null,
      highlight(e.body.length > 600 ? e.body.slice(0, 600) + "…" : e.body, e.figures),
      e.figures.length ? chips : null,
    ]);
  }

  function addEntry(e) {
    var list = document.getElementById("entries");
    var old = list.querySelector('[data-entry="' + CSS.escape(e.blog_id + "|" + e.entry_id) + '"]');
    var item = entryItem(e);
    if (old) list.replaceChild(item, old); else list.insertBefore(item, list.firstChild);
    while (list.children.length > 20) list.removeChild(list.lastChild);
  }

  function loadEntries() {
    return getJSON("/api/blogs").then(function (b) {
      return Promise.all(b.items.map(function (blog) {
        return getJSON("/api/blogs/" + encodeURIComponent(blog.blog_id) + "/entries?limit=10").then(function (p) { return p.items; });
      }));
    }).then(function (lists) {
      var all = [].concat.apply([], lists).sort(function (a, b) { return a.published < b.published ? -1 : 1; });
      document.getElementById("entries").textContent = "";
      all.forEach(addEntry);
    }).catch(function () { /* entries are optional: the worker may not keep them */ });
  }

  function loadTotals() {
    return loadAll("/api/totals?row=headline&limit=500").then(function (rows) {
      headlines = {};
      rows.forEach(function (r) { headlines[groupOf(r.key)] = r; });
      renderCards();
      renderTable();
      renderCharts();
    });
  }

  function setStatus(text, cls) {
    var s = document.getElementById("status");
    s.textContent = text;
    s.className = "status " + (cls || "");
  }

  function follow() {
    if (!window.EventSource) { setStatus("Live updates need a newer browser.", "down"); return; }
    var source = new EventSource("/api/stream");
    source.onopen = function () { setStatus("Live", "live"); };
    source.onerror = function () { setStatus("Reconnecting…", "down"); };
    source.addEventListener("total", function (ev) {
      var msg = JSON.parse(ev.data);
      if (!msg.key.endsWith("|*")) return;
      var group = groupOf(msg.key);
      if (msg.row) headlines[group] = msg.row; else delete headlines[group];
      renderCards(group);
      renderTable();
      scheduleChart(group);
      setStatus("Live · updated " + new Date().toLocaleTimeString("en-GB"), "live");
    });
    source.addEventListener("entry", function (ev) { addEntry(JSON.parse(ev.data)); });
    source.addEventListener("resync", function () { loadTotals(); loadEntries(); });
    source.addEventListener("bye", function () { setStatus("The worker stopped; reconnecting…", "down"); });
  }

  follow();
  loadTotals().catch(function (e) { setStatus("Could not load totals: " + e.message, "down"); });
  loadEntries();
})();
