/* Signalements: maps and the reporting form's enhancements. Everything works without JavaScript (a list with
 * filters, an address field and coordinates); this adds:
 *  - [data-signalements-map]: the reports of the filtered list on a map, clustered (leaflet.markercluster), with a
 *    density layer (overlapping translucent discs) to switch to;
 *  - [data-picker]: placing the problem on a map (tap, drag, the device's position), the address of the pin
 *    (reverse geocoding through the site), address suggestions, the duplicates near the pin;
 *  - [data-signalement-form]: the draft kept in this browser (localStorage) when the page is reloaded, and only the
 *    questions of the chosen category shown;
 *  - [data-point]: the place of one report.
 * The back-office queue uses [data-signalements-map] too, with its own feed (the queue's filters).
 */
(function () {
  "use strict";

  function baseMap(element, holder, options) {
    var map = L.map(element, Object.assign({ zoomControl: false }, options || {}));
    L.control.zoom({ zoomInTitle: holder.dataset.zoomIn || "Zoom in", zoomOutTitle: holder.dataset.zoomOut || "Zoom out" }).addTo(map);
    L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution, maxZoom: 19 }).addTo(map);
    map.setView([parseFloat(holder.dataset.lat), parseFloat(holder.dataset.lon)], parseInt(holder.dataset.zoom || "13", 10));
    return map;
  }

  function reportsMap(holder) {
    holder.hidden = false;
    var map = baseMap(holder.querySelector(".signalements-map__canvas"), holder, { scrollWheelZoom: false });
    var points = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    var heat = L.layerGroup();
    var heatPoints = [];
    fetch(holder.dataset.feed, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var bounds = [];
        var statuses = data.statuses;
        data.features.forEach(function (f) {
          var p = f.properties;
          var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          bounds.push(ll);
          var marker = L.marker(ll, { title: p.title, alt: p.title });
          var box = document.createElement("div");
          var link = document.createElement("a");
          // Both feeds give the reports' address and the statuses' labels once (selectors._feature_collection).
          link.href = data.url + p.id + "/";
          link.textContent = p.title;
          box.appendChild(link);
          box.appendChild(document.createTextNode(" — " + p.category + ", " + (statuses[p.status] || p.status)));
          marker.bindPopup(box);
          points.addLayer(marker);
          heatPoints.push(ll);
          if (!L.heatLayer) heat.addLayer(L.circle(ll, { radius: 80, stroke: false, fillColor: "#c0392b", fillOpacity: 0.18, interactive: false }));
        });
        var truncated = holder.querySelector("[data-map-truncated]");
        if (data.truncated && truncated) { truncated.textContent = holder.dataset.truncated; truncated.hidden = false; }
        if (L.heatLayer) heat = L.heatLayer(heatPoints, { radius: 25, blur: 20 });
        points.addTo(map);
        if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
        var layers = {};
        layers[holder.dataset.pointsLabel || "Points"] = points;
        layers[holder.dataset.heatLabel || "Heat"] = heat;
        L.control.layers(layers, null, { collapsed: false }).addTo(map);
      });
  }

  function setValue(input, value) {
    if (!input) return;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function picker(holder, form) {
    holder.hidden = false;
    var map = baseMap(holder.querySelector("[data-picker-map]"), holder);
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    var address = form.querySelector("[name=address]");
    var status = holder.querySelector("[data-picker-status]");
    var marker = null;

    function place(ll, announce) {
      if (!marker) {
        marker = L.marker(ll, { draggable: true, title: holder.dataset.markerTitle, alt: holder.dataset.markerTitle }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(ll);
      }
      setValue(lat, ll.lat.toFixed(6));
      setValue(lon, ll.lng.toFixed(6));
      if (announce && status) status.textContent = status.dataset.placed;
      reverse(ll);
      duplicates(form);
    }

    function reverse(ll) {
      fetch(form.dataset.geocoderUrl + "?lat=" + ll.lat + "&lon=" + ll.lng)
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (data.results && data.results.length) setValue(address, data.results[0].label); })
        .catch(function () { /* the geocoder is down: the address stays as typed */ });
    }

    map.on("click", function (e) { place(e.latlng, true); });
    holder.querySelector("[data-picker-center]").addEventListener("click", function () { place(map.getCenter(), true); });
    holder.querySelector("[data-picker-locate]").addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = status.dataset.locateFailed; return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        var ll = L.latLng(p.coords.latitude, p.coords.longitude);
        map.setView(ll, 17);
        place(ll, true);
      }, function () { status.textContent = status.dataset.locateFailed; }, { enableHighAccuracy: true, timeout: 10000 });
    });
    if (lat.value && lon.value) {
      var ll = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      map.setView(ll, 17);
      marker = L.marker(ll, { draggable: true, title: holder.dataset.markerTitle, alt: holder.dataset.markerTitle }).addTo(map);
      marker.on("dragend", function () { place(marker.getLatLng(), true); });
    }
    suggestions(form, address, function (result) {
      var ll = L.latLng(result.lat, result.lon);
      map.setView(ll, 18);
      place(ll, true);
      setValue(address, result.label);
    });
  }

  function suggestions(form, address, choose) {
    if (!address) return;
    var list = document.createElement("ul");
    list.className = "signalements-suggestions";
    list.setAttribute("aria-live", "polite");
    address.parentNode.appendChild(list);
    var timer = null;
    address.addEventListener("input", function (event) {
      if (!event.isTrusted) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = address.value.trim();
        list.textContent = "";
        if (q.length < 4) return;
        fetch(form.dataset.geocoderUrl + "?q=" + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (result) {
              var item = document.createElement("li");
              var button = document.createElement("button");
              button.type = "button";
              button.className = "link-button";
              button.textContent = result.label;
              button.addEventListener("click", function () { list.textContent = ""; choose(result); });
              item.appendChild(button);
              list.appendChild(item);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 400);
    });
  }

  function duplicates(form) {
    var lat = form.querySelector("[name=lat]").value;
    var lon = form.querySelector("[name=lon]").value;
    var box = form.querySelector("[data-duplicates]");
    if (!lat || !lon || !box) return;
    var chosen = form.querySelector("[name=category]:checked");
    var url = form.dataset.duplicatesUrl + "?lat=" + lat + "&lon=" + lon + (chosen ? "&category=" + chosen.value : "");
    fetch(url).then(function (r) { return r.text(); }).then(function (html) {
      // The « moi aussi » buttons post the page's form (and its CSRF token) to their own address.
      var template = document.createElement("template");
      template.innerHTML = html;
      box.replaceChildren(template.content);
    });
  }

  function questions(form) {
    var chosen = form.querySelector("[name=category]:checked");
    form.querySelectorAll("[data-question]").forEach(function (q) {
      q.hidden = !chosen || q.dataset.question !== chosen.value;
    });
    form.querySelectorAll("[data-category-hint]").forEach(function (h) {
      h.hidden = !chosen || h.dataset.categoryHint !== chosen.value;
    });
  }

  function draft(form) {
    var key = form.dataset.draftKey;
    var note = form.querySelector("[data-draft-status]");
    var store = window.localStorage;
    if (!store || !key) return;
    var fields = form.querySelectorAll("input:not([type=file]):not([type=hidden]):not([type=submit]):not([name=kept_photos]), textarea, select");
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    var hasErrors = !!document.querySelector(".error-summary");
    if (saved && !hasErrors) {
      fields.forEach(function (f) {
        if (!(f.name in saved)) return;
        if (f.type === "radio" || f.type === "checkbox") f.checked = saved[f.name] === f.value;
        else if (!f.value) f.value = saved[f.name];
      });
      if (note) note.hidden = false;
    }
    form.addEventListener("input", function () {
      var data = {};
      fields.forEach(function (f) {
        if ((f.type === "radio" || f.type === "checkbox") && !f.checked) return;
        if (f.value) data[f.name] = f.value;
      });
      store.setItem(key, JSON.stringify(data));
      if (note) note.hidden = false;
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.value !== "check") store.removeItem(key);
    });
  }

  function point(holder) {
    holder.hidden = false;
    var map = baseMap(holder.querySelector(".signalements-point__map"), holder, { dragging: false, scrollWheelZoom: false });
    var ll = [parseFloat(holder.dataset.lat), parseFloat(holder.dataset.lon)];
    map.setView(ll, 17);
    L.marker(ll, { title: holder.dataset.title, alt: holder.dataset.title, keyboard: false }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var hasLeaflet = typeof L !== "undefined";
    document.querySelectorAll("[data-signalement-form]").forEach(function (form) {
      draft(form);
      questions(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "category") { questions(form); duplicates(form); }
      });
      var holder = form.querySelector("[data-picker]");
      if (holder && hasLeaflet) picker(holder, form);
    });
    if (!hasLeaflet) return;
    document.querySelectorAll("[data-signalements-map]").forEach(reportsMap);
    document.querySelectorAll("[data-point]").forEach(point);
  });
})();
