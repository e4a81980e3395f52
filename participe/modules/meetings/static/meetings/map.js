// The agenda's map: markers of the upcoming meetings (the list beneath the map shows the same meetings, so the page
// works without JavaScript). Leaflet is loaded before this file.
(function () {
  "use strict";
  function start() {
    var element = document.querySelector("[data-meetings-map]");
    if (!element || typeof L === "undefined") { return; }
    element.hidden = false;
    var map = L.map(element).setView([parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], parseInt(element.dataset.zoom, 10));
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    fetch(element.dataset.geojson, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bounds = [];
        data.features.forEach(function (feature) {
          var point = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
          var link = document.createElement("a");
          link.href = feature.properties.url;
          link.textContent = feature.properties.title;
          var popup = document.createElement("p");
          popup.appendChild(link);
          popup.appendChild(document.createElement("br"));
          popup.appendChild(document.createTextNode(feature.properties.when + " — " + feature.properties.place));
          L.marker(point, { title: feature.properties.title, alt: feature.properties.title }).bindPopup(popup).addTo(map);
          bounds.push(point);
        });
        if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 }); }
      })
      .catch(function () { element.hidden = true; });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
