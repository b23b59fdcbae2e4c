// Statistics charts (Chart.js from npm). The figures come embedded in the page as JSON
// (the same as GET /api/v1/stats/cases), so the charts need no second request.
(function () {
  const data = JSON.parse(document.getElementById("stats-data").textContent);
  const L_ = JSON.parse(document.getElementById("stats-labels").textContent);
  const SEA = "#0b5d8c", OK = "#15803d", BAD = "#b91c1c", WARN = "#d97706", GREY = "#94a3b8";
  const charts = {};
  window.mhCharts = charts;  // for tests and the console
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;

  function bar(id, labels, datasets, opts) {
    charts[id] = new Chart(document.getElementById(id), {
      type: "bar", data: { labels, datasets },
      options: Object.assign({ plugins: { legend: { display: datasets.length > 1 } },
                               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, opts || {}),
    });
  }

  bar("chart-type", data.by_type.map(x => x.label_zh), [{ label: L_.cases, data: data.by_type.map(x => x.count), backgroundColor: SEA }]);
  // States: only those with cases, in lifecycle order (21 states would crowd the axis).
  const states = data.by_state.filter(x => x.count > 0);
  bar("chart-state", states.map(x => x.label_zh), [{ label: L_.cases, data: states.map(x => x.count), backgroundColor: SEA }],
      { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } } });
  charts["chart-month"] = new Chart(document.getElementById("chart-month"), {
    type: "line",
    data: { labels: data.by_month.map(m => m.month),
            datasets: [{ label: L_.cases, data: data.by_month.map(m => m.count), borderColor: SEA, backgroundColor: SEA, tension: 0.2 }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  const s = data.success;
  charts["chart-success"] = new Chart(document.getElementById("chart-success"), {
    type: "doughnut",
    data: { labels: [L_.success, L_.failed],
            datasets: [{ data: [s.successes, s.outcomes - s.successes], backgroundColor: [OK, GREY] }] },
    options: { plugins: { title: { display: true, position: "bottom",
      text: s.rate === null ? L_.none : (s.rate * 100).toFixed(1) + "%" } } },
  });
  const days = v => Math.round(v / 864) / 100;
  bar("chart-time", data.time_in_state.map(t => t.label_zh), [
    { label: L_.days, data: data.time_in_state.map(t => days(t.median_seconds)), backgroundColor: SEA },
    { label: L_.p90, data: data.time_in_state.map(t => days(t.p90_seconds)), backgroundColor: GREY },
  ], { scales: { y: { beginAtZero: true } } });
  const o = data.overdue.by_deadline;
  bar("chart-overdue", o.map(d => d.label_zh), [
    { label: L_.overdue, data: o.map(d => d.overdue), backgroundColor: BAD },
    { label: L_.due_soon, data: o.map(d => d.due_soon), backgroundColor: WARN },
  ]);
})();
