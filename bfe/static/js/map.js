// Draws every [data-map] element with Leaflet; the page's list stays the no-JS fallback.
// Points are GeoJSON: inline (data-points, one shelter) or fetched (data-geojson, the
// directory's filtered set); many pins are clustered with Leaflet.markercluster.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function shelterMarker(element, lat, lng, props) {
    var icon = L.divIcon({
      className: "map-marker map-pin" + (props.vacant ? " map-pin--vacant" : ""),
      iconSize: [16, 16]
    });
    var marker = L.marker([lat, lng], { icon: icon, title: props.name, count: 1 });
    var label = '<a href="' + encodeURI(props.url) + '">' + escapeHtml(props.name) + "</a>";
    if (props.vacant) {
      label += "<br>" + escapeHtml(element.dataset.labelVacant);
    }
    return marker.bindPopup(label);
  }

  function districtMarker(element, lat, lng, props) {
    var size = 28 + Math.min(22, props.count * 2);
    var icon = L.divIcon({
      className: "district-count map-marker",
      html: String(props.count),
      iconSize: [size, size]
    });
    return L.marker([lat, lng], { icon: icon, title: props.name, count: props.count })
      .bindPopup(escapeHtml(props.name) + ": " + props.count + " " +
                 escapeHtml(element.dataset.labelDistrict));
  }

  // A cluster shows how many shelters it stands for (a district marker counts its shelters).
  function clusterIcon(element) {
    return function (cluster) {
      var total = 0;
      cluster.getAllChildMarkers().forEach(function (marker) { total += marker.options.count || 1; });
      var size = total < 10 ? "small" : total < 100 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + total + "</span></div>",
        className: "marker-cluster marker-cluster-" + size + " map-marker",
        iconSize: L.point(40, 40)
      });
    };
  }

  function show(element, map, data) {
    var layer = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon(element), showCoverageOnHover: false })
      : L.layerGroup();
    var bounds = [];
    (data.features || []).forEach(function (feature) {
      var lng = feature.geometry.coordinates[0];
      var lat = feature.geometry.coordinates[1];
      var props = feature.properties;
      var marker = props.kind === "district"
        ? districtMarker(element, lat, lng, props)
        : shelterMarker(element, lat, lng, props);
      layer.addLayer(marker);
      bounds.push([lat, lng]);
    });
    map.addLayer(layer);
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([52.52, 13.405], 10);
    }
  }

  function draw(element) {
    if (element.dataset.mapReady || typeof L === "undefined") {
      return;
    }
    var source = element.dataset.points && document.getElementById(element.dataset.points);
    if (!source && !element.dataset.geojson) {
      return;
    }
    element.hidden = false;
    element.dataset.mapReady = "1";
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap-Mitwirkende"
    }).addTo(map);
    map.setView([52.52, 13.405], 10);
    if (source) {
      show(element, map, JSON.parse(source.textContent));
      return;
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) { show(element, map, data); element.dataset.mapLoaded = "1"; })
      .catch(function () { element.hidden = true; });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-map]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
