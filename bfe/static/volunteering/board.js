// The opportunity form: choosing an area that works with children ticks "erweitertes
// Führungszeugnis nötig" (the coordinator may untick it). Without JavaScript the help text says so.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-children-areas]");
    var area = document.querySelector("[data-clearance-area]");
    if (!box || !area) {
      return;
    }
    var children = box.dataset.childrenAreas.split(" ").filter(Boolean);
    area.addEventListener("change", function () {
      if (children.indexOf(area.value) !== -1) {
        box.checked = true;
      }
    });
  });
})();
