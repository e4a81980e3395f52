/* Maps of the proposals module (Leaflet and leaflet.markercluster, served from the npm packages).
 * Every map is an enhancement: the page shows the same information without JavaScript (the list of proposals
 * with their addresses, the address of a proposal, the coordinates fields of the form).
 *  - [data-proposals-map]: the proposals of the filtered list, clustered, read from the GeoJSON feed.
 *  - [data-proposal-map]: the location of one proposal.
 *  - [data-location-picker]: placing the point of a proposal in the submit form (fills latitude/longitude).
 */
(function () {
  "use strict";

  function number(value, fallback) {
    var parsed = parseFloat(value);
    return isNaN(parsed) ? fallback : parsed;
  }

  function baseMap(element, holder) {
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    L.control.zoom({
      zoomInTitle: holder.dataset.zoomIn || "Zoom in",
      zoomOutTitle: holder.dataset.zoomOut || "Zoom out"
    }).addTo(map);
    L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution, maxZoom: 19 }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && holder.dataset.closePopup) close.setAttribute("aria-label", holder.dataset.closePopup);
    });
    return map;
  }

  function popupContent(properties, labels) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.title;
    var title = document.createElement("p");
    title.className = "proposals-map__popup-title";
    title.appendChild(link);
    box.appendChild(title);
    var facts = document.createElement("p");
    facts.className = "proposals-map__popup-facts";
    var parts = [counted(properties.supports, labels.support, labels.supports),
                 counted(properties.comments, labels.comment, labels.comments)];
    if (properties.answer) parts.push(properties.answer);
    facts.textContent = parts.join(" · ");
    box.appendChild(facts);
    return box;
  }

  /* "1 soutien", "0 soutien", "3 soutiens" (French); "1 support", "0 supports" (English): the page's plural rules. */
  function counted(n, one, other) {
    var lang = document.documentElement.lang || undefined;
    var rule = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(n) : (n === 1 ? "one" : "other");
    return Number(n).toLocaleString(lang) + " " + (rule === "one" ? one : other);
  }

  /* "N propositions affichées sur plus de N" when the feed keeps only the most supported ones. */
  function truncatedMessage(status, shown) {
    var lang = document.documentElement.lang || undefined;
    return status.dataset.truncated.split("{shown}").join(Number(shown).toLocaleString(lang));
  }

  // Every map opens on the organisation's territory: its boundaries' bounds ("south,west,north,east"), else the
  // centre and zoom the administrator set (participe/organisation/geography.py).
  function openOnTerritory(map, holder) {
    var bounds = (holder.dataset.bounds || "").split(",").map(Number);
    if (bounds.length === 4 && bounds.every(function (n) { return !isNaN(n); })) {
      map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
    } else {
      map.setView([number(holder.dataset.lat, 46.6), number(holder.dataset.lon, 2.4)], number(holder.dataset.zoom, 5));
    }
  }

  function proposalsMap(holder) {
    if (!window.L || !L.markerClusterGroup) return;
    holder.hidden = false;
    var status = document.getElementById("proposals-map-status");
    var map = baseMap(holder, holder);
    openOnTerritory(map, holder);
    var labels = {
      support: holder.dataset.labelSupport, supports: holder.dataset.labelSupports,
      comment: holder.dataset.labelComment, comments: holder.dataset.labelComments
    };
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    map.addLayer(cluster);
    fetch(holder.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var markers = data.features.map(function (feature) {
          var coordinates = feature.geometry.coordinates;
          var marker = L.marker([coordinates[1], coordinates[0]], {
            title: feature.properties.title,
            alt: feature.properties.title,
            keyboard: true
          });
          marker.bindPopup(function () { return popupContent(feature.properties, labels); });
          return marker;
        });
        cluster.addLayers(markers);
        if (markers.length) map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 17 });
        holder.dataset.loaded = String(markers.length);
        if (status && data.truncated) status.textContent = truncatedMessage(status, markers.length);
      })
      .catch(function () {
        if (status) status.textContent = status.dataset.failed;
        holder.dataset.loaded = "error";
      });
  }

  function proposalMap(holder) {
    if (!window.L) return;
    holder.hidden = false;
    var point = [number(holder.dataset.lat, 0), number(holder.dataset.lon, 0)];
    var map = baseMap(holder, holder);
    map.setView(point, 17);
    L.marker(point, { title: holder.dataset.title, alt: holder.dataset.title, keyboard: false }).addTo(map);
  }

  function locationPicker(picker) {
    if (!window.L) return;
    var form = picker.closest("form");
    var latitude = form.querySelector("[data-map-latitude]");
    var longitude = form.querySelector("[data-map-longitude]");
    var status = picker.querySelector("[data-picker-status]");
    var element = picker.querySelector("[data-picker-map]");
    picker.hidden = false;
    var map = baseMap(element, picker);
    var marker = null;

    function say(message) { if (status) status.textContent = message; }

    function fill(latlng) {
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
    }

    function place(latlng, announce) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, title: picker.dataset.markerTitle, alt: picker.dataset.markerTitle, keyboard: false });
        marker.on("dragend", function () { fill(marker.getLatLng()); say(status.dataset.placed); });
        marker.addTo(map);
      }
      fill(latlng);
      if (announce) say(status.dataset.placed);
    }

    function fromFields() {
      var lat = parseFloat(String(latitude.value).replace(",", "."));
      var lon = parseFloat(String(longitude.value).replace(",", "."));
      if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
      return L.latLng(lat, lon);
    }

    var initial = fromFields();
    // A point the server refused (outside the territory) is not where to start again: open on the territory.
    if (initial && latitude.getAttribute("aria-invalid") !== "true") {
      map.setView(initial, 17);
      place(initial, false);
    } else {
      openOnTerritory(map, picker);
    }
    map.on("click", function (event) { place(event.latlng, true); });
    [latitude, longitude].forEach(function (field) {
      field.addEventListener("change", function () {
        var point = fromFields();
        if (point) { place(point, false); map.panTo(point); }
      });
    });
    picker.querySelector("[data-picker-center]").addEventListener("click", function () { place(map.getCenter(), true); });
    picker.querySelector("[data-picker-clear]").addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      latitude.value = "";
      longitude.value = "";
      say(status.dataset.cleared);
    });
    var locate = picker.querySelector("[data-picker-locate]");
    if (!navigator.geolocation) {
      locate.hidden = true;
    } else {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var point = L.latLng(position.coords.latitude, position.coords.longitude);
            map.setView(point, 17);
            place(point, true);
          },
          function () { say(status.dataset.locateFailed); },
          { enableHighAccuracy: true, timeout: 10000 }
        );
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-proposals-map]").forEach(proposalsMap);
    document.querySelectorAll("[data-proposal-map]").forEach(proposalMap);
    document.querySelectorAll("[data-location-picker]").forEach(locationPicker);
  });
})();
