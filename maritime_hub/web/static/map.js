// Live AIS map: offline land polygons (world-atlas), a graticule, live vessels over a
// websocket (one batched frame per 250 ms, only the viewport), and a track with a time slider.
(function () {
  const el = document.getElementById("map");
  const L_ = JSON.parse(el.dataset.labels);
  // No tile layer, so Leaflet has no zoom limits of its own: without them fitBounds on one
  // point zooms to Infinity (NaN coordinates).
  const map = L.map("map", { worldCopyJump: true, preferCanvas: true, minZoom: 2, maxZoom: 16 }).setView([30.0, 122.3], 7);
  window.mhMap = map;  // for tests and the console
  el.style.background = "#cfe3f0";

  L.control.scale({ metric: true, imperial: false }).addTo(map);
  // Land: 1:50m, simplified away from the China seas, at once (~55 KB compressed: the page stays
  // within 150 KB over a satellite link); 1:10m (3 MB) only when a user zooms in far enough to need
  // the islands, and only once. Both URLs carry their content hash (cached for a year).
  const landStyle = { color: "#8a7f6a", weight: 0.6, fillColor: "#efe9dc", fillOpacity: 1 };
  let coarse = null, fine = null;
  function land(url) {
    return fetch(url).then(r => r.json())
      .then(topo => L.geoJSON(topojson.feature(topo, topo.objects.land), { style: landStyle, interactive: false }));
  }
  land(el.dataset.land).then(l => { coarse = l.addTo(map).bringToBack(); });
  map.on("zoomend", () => {
    if (map.getZoom() >= 8 && !fine) {
      fine = true;
      land(el.dataset.landFine).then(l => { fine = l.addTo(map).bringToBack(); if (coarse) map.removeLayer(coarse); });
    }
  });
  const grid = [];
  for (let lat = -80; lat <= 80; lat += 5) grid.push([[lat, -180], [lat, 180]]);
  for (let lon = -180; lon <= 180; lon += 5) grid.push([[-85, lon], [85, lon]]);
  L.polyline(grid, { color: "#9fb6c7", weight: 0.5, interactive: false }).addTo(map);

  const vessels = new Map();
  const layer = L.layerGroup().addTo(map);
  // Base stations (AIS type 4) and aids to navigation (type 21) are not ships: their own layers,
  // off until asked for, so a shore station never reads as a ship on land.
  const bases = L.layerGroup(), atons = L.layerGroup();
  L.control.layers(null, { [L_.vessels]: layer, [L_.bases]: bases, [L_.atons]: atons }, { collapsed: false }).addTo(map);
  const layerOf = k => (k === 1 ? bases : k === 2 ? atons : layer);
  const styleOf = k => (k === 1 ? { radius: 6, color: "#6b21a8", weight: 2, fillColor: "#ffffff", fillOpacity: 1 }
    : k === 2 ? { radius: 4, color: "#a16207", weight: 2, fillColor: "#facc15", fillOpacity: 1 }
    : { radius: 5, color: "#0b5d8c", weight: 1, fillColor: "#1d8fd1", fillOpacity: 0.9 });
  const status = document.getElementById("live-status");
  const count = document.getElementById("live-count");

  // The vessel record behind each MMSI (name, id), fetched when its popup first opens: live
  // frames carry positions only. Kept for a minute, so a record created by a later static
  // message shows up on a later opening.
  const records = new Map();
  const esc = s => String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  function popup(v) {
    const r = records.get(v.mmsi);
    const info = r && r.body;
    const what = v.k === 1 ? `${L_.base}<br>` : v.k === 2 ? `${L_.aton}<br>` : "";
    const title = what + (info && info.name ? `<b class="vessel-name">${esc(info.name)}</b><br>MMSI ${v.mmsi}` : `<b>MMSI ${v.mmsi}</b>`);
    const flag = info && info.vessel_id && info.registered === false ? `<br><small>${L_.unregistered}</small>` : "";
    const link = info && info.vessel_id ? `<a class="vessel-link" href="/vessels/${info.vessel_id}">${L_.vessel}</a> · `
      : info ? `<small>${L_.norecord}</small><br>` : "";
    return `${title}${flag}<br>${L_.sog}: ${v.sog ?? "—"} kn · ${L_.cog}: ${v.cog ?? "—"}°<br>` +
      `${L_.time}: ${new Date(new Date(v.ts).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace("T", " ")} (UTC+8)<br>` +
      `${link}<a href="#" data-track="${v.mmsi}">${L_.track}</a>`;
  }
  async function lookUp(m) {
    const mmsi = m.data.mmsi, known = records.get(mmsi);
    if (known && Date.now() - known.at < 60000) return;
    try {
      const r = await fetch(`/api/v1/ais/vessels/${mmsi}`);
      if (!r.ok) return;
      records.set(mmsi, { at: Date.now(), body: await r.json() });
      if (m.isPopupOpen()) m.getPopup().update();
    } catch (e) { /* offline: the popup keeps what it has */ }
  }
  function upsert(v) {
    let m = vessels.get(v.mmsi);
    if (!m) {
      m = L.circleMarker([v.lat, v.lon], styleOf(v.k));
      m.addTo(layerOf(v.k));
      m.on("popupopen", () => lookUp(m));
      vessels.set(v.mmsi, m);
    } else {
      m.setLatLng([v.lat, v.lon]);
    }
    m.data = v;
    m.bindPopup(() => popup(m.data));
  }
  function visibleCount() {
    const b = map.getBounds();
    let n = 0;
    vessels.forEach(m => { if (b.contains(m.getLatLng())) n++; });
    count.textContent = n;
  }
  function bbox() {
    const b = map.getBounds();
    const w = Math.max(-180, b.getWest()), e = Math.min(180, b.getEast());
    return [w, Math.max(-90, b.getSouth()), e, Math.min(90, b.getNorth())];
  }

  let ws, retry = 0;
  function connect() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    // Frames come compressed (raw DEFLATE, once per viewport on the server): a third of the
    // bytes over a satellite link.
    ws = new WebSocket(`${proto}://${location.host}${el.dataset.ws}?bbox=${bbox().join(",")}&encoding=deflate`);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => { retry = 0; status.textContent = L_.live; status.className = "badge valid"; };
    let frames = Promise.resolve();  // decompression is asynchronous: keep the frames in order
    ws.onmessage = (e) => {
      const text = typeof e.data === "string" ? Promise.resolve(e.data)
        : new Response(new Blob([e.data]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
      frames = frames.then(() => text).then((t) => {
        const data = JSON.parse(t);
        // Each position is [mmsi, lon, lat, sog, cog, heading, ts (Unix s), published, kind].
        if (Array.isArray(data)) {
          data.forEach(a => upsert({ mmsi: a[0], lon: a[1], lat: a[2], sog: a[3], cog: a[4], hdg: a[5], ts: a[6] * 1000, k: a[8] || 0 }));
          visibleCount();
        }
      }).catch(() => {});
    };
    ws.onclose = (e) => {
      // 4401: the session ended (sign in again), 4403: this account may not watch: retrying won't help.
      if (e.code === 4401 || e.code === 4403) { status.textContent = L_.signedout; status.className = "badge expired"; return; }
      status.textContent = L_.offline; status.className = "badge expiring";
      // Back off 0, 3, 5, then 7 s with jitter (the reconnection schedule in video.md).
      const delays = [0, 3000, 5000, 7000];
      setTimeout(connect, delays[Math.min(retry++, 3)] + Math.random() * 500);
    };
  }
  connect();
  map.on("moveend", () => {
    visibleCount();
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ bbox: bbox() }));
  });

  // Tracks with a time slider.
  const form = document.getElementById("track-form");
  const panel = document.getElementById("track-panel");
  const slider = document.getElementById("track-slider");
  const when = document.getElementById("track-time");
  const info = document.getElementById("track-info");
  let trackLayer = null, cursor = null, points = [];
  // The inputs are China Standard Time (the footer says so), whatever the browser's zone.
  const CST = 8 * 3600 * 1000;
  const toInput = d => new Date(d.getTime() + CST).toISOString().slice(0, 16);
  const fromInput = v => new Date(v + ":00+08:00");
  // An empty "to" means "now", so a live vessel's latest positions are included.
  // The vessel page links with the day up to the vessel's last position; otherwise the last 24 h.
  const startInput = document.getElementById("track-start");
  if (!startInput.value) startInput.value = toInput(new Date(Date.now() - 24 * 3600 * 1000));

  async function showTrack(mmsi) {
    const start = fromInput(document.getElementById("track-start").value).toISOString();
    const endValue = document.getElementById("track-end").value;
    const end = (endValue ? fromInput(endValue) : new Date(Date.now() + 60000)).toISOString();
    const r = await fetch(`/api/v1/vessels/${mmsi}/track?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`);
    const body = await r.json();
    if (trackLayer) map.removeLayer(trackLayer);
    panel.hidden = false;
    if (!r.ok) { info.textContent = body.message || r.statusText; return; }
    points = body.features.filter(f => f.properties.kind === "position");
    if (!points.length) { info.textContent = L_.none; return; }
    trackLayer = L.layerGroup().addTo(map);
    // Broken where AIS went silent: one line per stretch, and each gap dashed and labelled.
    const gaps = body.features.filter(f => f.properties.kind === "gap");
    const breaks = new Set(gaps.map(g => g.properties.end));
    const stretches = [[]];
    points.forEach(p => {
      if (breaks.has(p.properties.ts)) stretches.push([]);
      stretches[stretches.length - 1].push([p.geometry.coordinates[1], p.geometry.coordinates[0]]);
    });
    L.polyline(stretches, { color: "#c2410c", weight: 2 }).addTo(trackLayer);
    gaps.forEach(g => {
      const [a, b] = g.geometry.coordinates;
      const text = L_.gap.replace("{hours}", g.properties.hours);
      L.polyline([[a[1], a[0]], [b[1], b[0]]], { color: "#6b7280", weight: 2, dashArray: "6 6", className: "track-gap" })
        .bindTooltip(text, { permanent: true, direction: "center", className: "gap-label" }).addTo(trackLayer);
    });
    cursor = L.circleMarker([0, 0], { radius: 6, color: "#c2410c", fillOpacity: 1 }).addTo(trackLayer);
    slider.max = points.length - 1;
    slider.value = points.length - 1;
    info.textContent = `MMSI ${mmsi} · ${points.length} ${L_.points}` + (gaps.length ? ` · ${L_.gaps.replace("{n}", gaps.length)}` : "");
    move();
    map.fitBounds(L.latLngBounds(points.map(p => [p.geometry.coordinates[1], p.geometry.coordinates[0]])).pad(0.2));
  }
  function move() {
    const p = points[+slider.value];
    if (!p) return;
    cursor.setLatLng([p.geometry.coordinates[1], p.geometry.coordinates[0]]);
    when.textContent = toInput(new Date(p.properties.ts)).replace("T", " ") + " (UTC+8)" + (p.properties.sog != null ? ` · ${p.properties.sog} kn` : "");
  }
  slider.addEventListener("input", move);
  form.addEventListener("submit", e => { e.preventDefault(); const m = document.getElementById("track-mmsi").value.trim(); if (m) showTrack(m); });
  map.on("popupopen", e => {
    const box = e.popup.getElement();
    // Delegated once per popup: its content is redrawn when the vessel moves or its record arrives.
    if (!box.mhTrack) {
      box.mhTrack = true;
      box.addEventListener("click", ev => {
        const a = ev.target.closest("[data-track]");
        if (!a) return;
        ev.preventDefault();
        document.getElementById("track-mmsi").value = a.dataset.track;
        showTrack(a.dataset.track);
      });
    }
  });
  if (document.getElementById("track-mmsi").value) showTrack(document.getElementById("track-mmsi").value);
})();
