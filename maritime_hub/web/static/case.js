// Case pages: the board's state tabs (HTMX), the intake applicant picker, the incident map.
(function () {
  // Board: a state tab sets the hidden state filter and reloads the rows through the filter form.
  const filters = document.getElementById("case-filters");
  if (filters) {
    document.addEventListener("click", (e) => {
      const tab = e.target.closest(".state-tabs a");
      if (!tab || !window.htmx) return;
      e.preventDefault();
      document.getElementById("state-input").value = tab.dataset.state;
      htmx.trigger(filters, "submit");
    });
  }

  // Intake: picking a crew member who is at sea sets "reachable only through vessel X".
  const intake = document.getElementById("intake");
  if (intake) {
    intake.addEventListener("change", (e) => {
      const r = e.target;
      if (r.name !== "applicant_person_id") return;
      const vessel = r.dataset.vessel;
      if (vessel) {
        document.getElementById("at-sea").checked = true;
        document.getElementById("at-sea-vessel").value = vessel;
      }
    });
  }

  // Case page: the incident position on the offline base map (world-atlas land, no tile server).
  const el = document.getElementById("case-map");
  if (el && window.L) {
    const lat = +el.dataset.lat, lon = +el.dataset.lon;
    const map = L.map(el, { minZoom: 2, maxZoom: 12, attributionControl: false }).setView([lat, lon], 6);
    window.mhCaseMap = map;
    el.style.background = "#cfe3f0";
    fetch("/static/vendor/world-atlas/land-50m.json").then(r => r.json()).then(topo => {
      L.geoJSON(topojson.feature(topo, topo.objects.land), {
        style: { color: "#8a7f6a", weight: 0.6, fillColor: "#efe9dc", fillOpacity: 1 }, interactive: false,
      }).addTo(map).bringToBack();
    });
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    L.circleMarker([lat, lon], { radius: 7, color: "#b91c1c", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9 })
      .addTo(map).bindTooltip(el.dataset.label, { permanent: false });
  }
})();
