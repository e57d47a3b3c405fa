// Turns each input[data-combobox] into a WAI-ARIA combobox (list autocomplete): typing asks
// the URL in data-combobox for names; arrows move, Enter picks, Escape closes. Without
// JavaScript the plain text box works: the server resolves the typed name.
(function () {
  "use strict";

  var counter = 0;

  function setup(input) {
    if (input.dataset.comboboxReady) {
      return;
    }
    input.dataset.comboboxReady = "1";
    counter += 1;
    var listId = (input.id || "combobox-" + counter) + "-listbox";
    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combobox__list";
    list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) {
        label.id = listId + "-label";
      }
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var active = -1;
    var timer = null;
    var asked = "";

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) {
        return;
      }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(name) {
      input.value = name;
      close();
      if (input.form) {
        input.form.requestSubmit();
      }
    }

    function render(names) {
      list.textContent = "";
      names.forEach(function (name, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the box
          pick(name);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = !names.length;
      input.setAttribute("aria-expanded", names.length ? "true" : "false");
    }

    function suggest() {
      var text = input.value.trim();
      if (!text) {
        render([]);
        return;
      }
      asked = text;
      var url = input.dataset.combobox + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (asked === text && document.activeElement === input) {
            render(data.suggestions || []);
          }
        })
        .catch(function () { render([]); });
    }

    input.addEventListener("input", function (event) {
      // The form's live update waits for a pick (or Enter): a half-typed name is no filter.
      event.stopPropagation();
      clearTimeout(timer);
      if (!input.value.trim()) {
        render([]);
        if (input.form) {
          input.form.requestSubmit();
        }
        return;
      }
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) {
          highlight(active + 1);
        } else {
          suggest();
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(options()[active].textContent);
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          if (input.form) {
            input.form.requestSubmit();
          }
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function setupAll(root) {
    (root || document).querySelectorAll("input[data-combobox]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { setupAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setupAll(event.target); });
})();
