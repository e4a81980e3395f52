/* The funded projects on a map (Leaflet, from the npm package). An enhancement: the list next to it shows the same
 * projects with their place. Reads the points from the list items (data-lat, data-lon, data-title, data-url). */
(function () {
  "use strict";
  function init() {
    var holder = document.querySelector("[data-budget-map]");
    if (!holder || typeof L === "undefined") return;
    var points = Array.prototype.slice.call(document.querySelectorAll(".budget-project[data-lat][data-lon]"));
    if (!points.length) return;
    holder.hidden = false;
    var map = L.map(holder, { scrollWheelZoom: false });
    L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution, maxZoom: 19 }).addTo(map);
    var bounds = [];
    points.forEach(function (item) {
      var lat = parseFloat(item.dataset.lat), lon = parseFloat(item.dataset.lon);
      if (isNaN(lat) || isNaN(lon)) return;
      var link = document.createElement("a");
      link.href = item.dataset.url;
      link.textContent = item.dataset.title;
      L.marker([lat, lon], { alt: item.dataset.title }).addTo(map).bindPopup(link);
      bounds.push([lat, lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  }
  document.addEventListener("DOMContentLoaded", init);
})();
