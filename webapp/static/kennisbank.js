// Kennisbank: enhancements only. Every page works without this file.
(function () {
  "use strict";

  // -- Suggestions as you type: an ARIA 1.2 combobox over /api/suggest -------------
  function setUpCombobox(box) {
    var input = box.querySelector("input[type=search]");
    if (!input) return;
    var url = box.getAttribute("data-suggest-url");
    var listId = input.id + "-suggesties";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggesties");
    list.hidden = true;
    box.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(item) {
      if (item.kind === "thema") {
        window.location.href = "/zoeken?thema=" + encodeURIComponent(item.id);
      } else if (item.id) {
        window.location.href = "/pagina/" + item.id.split("/").map(encodeURIComponent).join("/");
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.innerHTML = "";
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = s.label;
        li.appendChild(document.createTextNode(" "));
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = "(" + (s.kind === "thema" ? "thema" : (KINDS[s.kind] || "pagina")) + ")";
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(s); });
        list.appendChild(li);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      if (q === lastQuery) return;
      lastQuery = q;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) render(data.suggestions || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      lastQuery = null;
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        if (e.key === "ArrowDown" && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); highlight(0); e.preventDefault(); }
        return;
      }
      if (e.key === "ArrowDown") { highlight((active + 1) % items.length); e.preventDefault(); }
      else if (e.key === "ArrowUp") { highlight(active <= 0 ? items.length - 1 : active - 1); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active]); }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var KINDS = { themapagina: "themapagina", leidraad: "leidraad", interventie: "interventie", kennisrotonde: "Kennisrotonde" };

  // -- Filters without a full reload, with the new count announced ------------------
  function setUpFilters(form) {
    form.addEventListener("change", function (e) {
      var target = e.target;
      // Compare boxes belong to the compare form, not to the search.
      if (target.form !== form) return;
      if (!(target.matches("input[type=checkbox], select"))) return;
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (k) { if (params.get(k) === "") params.delete(k); });
      var url = form.action + "?" + params.toString();
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("zoekformulier");
          if (!fresh) { window.location.href = url; return; }
          var focusedId = document.activeElement && document.activeElement.id;
          var status = document.getElementById("resultaat-status");
          var freshStatus = fresh.querySelector("#resultaat-status");
          // Keep the live region in the page and change only its text, so screen
          // readers announce the new count.
          fresh.querySelector("#resultaat-status").replaceWith(status);
          form.replaceChildren.apply(form, Array.from(fresh.childNodes));
          status.textContent = freshStatus ? freshStatus.textContent : "";
          document.title = doc.title;
          history.pushState(null, "", url);
          form.querySelectorAll(".searchbox").forEach(setUpCombobox);
          syncFiltersToggle(form);
          if (focusedId) {
            var el = document.getElementById(focusedId);
            if (el) el.focus();
          }
        })
        .catch(function () { window.location.href = url; });
    });
    window.addEventListener("popstate", function () { window.location.reload(); });
  }

  // -- "Filters (n)" on a phone: open the filters above the results ------------------
  function syncFiltersToggle(form) {
    var link = form.querySelector(".filters-toggle a");
    if (link) link.setAttribute("aria-expanded", form.classList.contains("filters-open") ? "true" : "false");
  }

  function setUpFiltersToggle(form) {
    syncFiltersToggle(form);
    form.addEventListener("click", function (e) {
      var link = e.target.closest(".filters-toggle a");
      if (!link) return;
      e.preventDefault();
      form.classList.toggle("filters-open");
      syncFiltersToggle(form);
      if (form.classList.contains("filters-open")) {
        var heading = document.getElementById("filters-kop");
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    });
  }

  // -- /beheer: follow a started reindex until it has an outcome ---------------------
  function followRun(status) {
    if (status.getAttribute("data-run-state") !== "running") return;
    setTimeout(function () {
      fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("herindexering");
          if (!fresh) return;
          status.setAttribute("data-run-state", fresh.getAttribute("data-run-state"));
          status.innerHTML = fresh.innerHTML;
          followRun(status);
        })
        .catch(function () {});
    }, 1500);
  }

  var run = document.getElementById("herindexering");
  if (run) followRun(run);

  document.querySelectorAll(".searchbox").forEach(setUpCombobox);
  var form = document.getElementById("zoekformulier");
  if (form) { setUpFilters(form); setUpFiltersToggle(form); }
  document.documentElement.classList.add("js");
})();
