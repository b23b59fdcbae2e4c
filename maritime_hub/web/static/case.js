// Case pages: the board's state tabs (HTMX), the intake applicant picker, the agreement's
// obligation rows, the incident map.
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

  // 签订协议: obligations as rows, and instalments inside a row, added and removed in the page. The
  // new rows come from <template>s drawn by the server (cases/_steps.html); the server numbers the
  // rows again in order when the form arrives, so gaps left by a removed row do not matter.
  const agreement = document.getElementById("agreement-form");
  function nextIndex(container, selector) {
    return [...container.querySelectorAll(selector)].reduce((n, el) => Math.max(n, +el.dataset.index + 1), 0);
  }
  if (agreement) {
    const rows = agreement.querySelector(".obligation-rows");
    const rowTemplate = agreement.querySelector("template.obligation-template");
    const partTemplate = agreement.querySelector("template.instalment-template");
    agreement.addEventListener("click", (e) => {
      const button = e.target.closest("button[type=button]");
      if (!button) return;
      const row = button.closest(".obligation-row");
      if (button.classList.contains("add-row")) {
        const i = nextIndex(rows, ".obligation-row");
        rows.insertAdjacentHTML("beforeend", rowTemplate.innerHTML.replaceAll("__i__", i));
        rows.lastElementChild.querySelector("input[name$=_what]").focus();
      } else if (button.classList.contains("remove-row") && row) {
        row.remove();
      } else if (button.classList.contains("add-instalment") && row) {
        const parts = row.querySelector(".instalments");
        const j = nextIndex(parts, ".instalment-row");
        parts.insertAdjacentHTML(
          "beforeend", partTemplate.innerHTML.replaceAll("__i__", row.dataset.index).replaceAll("__j__", j));
      } else if (button.classList.contains("remove-instalment")) {
        button.closest(".instalment-row").remove();
      }
    });
  }

  // Case page: the incident position on the offline base map (land from world-atlas, no tile
  // server), drawn only when asked for: Leaflet and the land layer are most of a case page's
  // weight, and a party on a satellite link mostly does not need them.
  const button = document.getElementById("show-case-map");
  const el = document.getElementById("case-map");
  function load(url) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.onload = resolve;
      s.onerror = reject;
      document.head.append(s);
    });
  }
  function draw(topo) {
    const lat = +el.dataset.lat, lon = +el.dataset.lon;
    el.hidden = false;
    const map = L.map(el, { minZoom: 2, maxZoom: 12, attributionControl: false }).setView([lat, lon], 6);
    window.mhCaseMap = map;
    el.style.background = "#cfe3f0";
    L.geoJSON(topojson.feature(topo, topo.objects.land), {
      style: { color: "#8a7f6a", weight: 0.6, fillColor: "#efe9dc", fillOpacity: 1 }, interactive: false,
    }).addTo(map).bringToBack();
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    L.circleMarker([lat, lon], { radius: 7, color: "#b91c1c", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9 })
      .addTo(map).bindTooltip(el.dataset.label, { permanent: false });
  }
  if (button && el) {
    button.addEventListener("click", () => {
      button.disabled = true;
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = button.dataset.css;
      document.head.append(css);
      const land = fetch(button.dataset.land).then(r => r.json());
      // Leaflet first, then topojson-client (in order, as the map page loads them).
      button.dataset.scripts.split(" ").reduce((p, url) => p.then(() => load(url)), Promise.resolve())
        .then(() => land).then(draw).then(() => button.remove())
        .catch(() => { button.disabled = false; });
    });
  }
})();
