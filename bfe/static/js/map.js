// Draws every [data-map] element with Leaflet; the page's list stays the no-JS fallback.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function draw(element) {
    if (element.dataset.mapReady || typeof L === "undefined") {
      return;
    }
    var source = document.getElementById(element.dataset.points);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.hidden = false;
    element.dataset.mapReady = "1";
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap-Mitwirkende"
    }).addTo(map);

    var bounds = [];
    data.shelters.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: 8,
        weight: 2,
        color: "#ffffff",
        fillColor: point.vacant ? "#b45f06" : "#1d4f86",
        fillOpacity: 0.95,
        className: "map-marker"
      }).addTo(map);
      var label = '<a href="' + encodeURI(point.url) + '">' + escapeHtml(point.name) + "</a>";
      if (point.vacant) {
        label += "<br>" + escapeHtml(element.dataset.labelVacant);
      }
      marker.bindPopup(label);
      marker.bindTooltip(point.name);
      bounds.push([point.lat, point.lng]);
    });
    data.districts.forEach(function (district) {
      var size = 28 + Math.min(22, district.count * 2);
      var icon = L.divIcon({
        className: "district-count map-marker",
        html: String(district.count),
        iconSize: [size, size]
      });
      L.marker([district.lat, district.lng], { icon: icon, title: district.name })
        .bindPopup(escapeHtml(district.name) + ": " + district.count + " " +
                   escapeHtml(element.dataset.labelDistrict))
        .addTo(map);
      bounds.push([district.lat, district.lng]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([52.52, 13.405], 10);
    }
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
