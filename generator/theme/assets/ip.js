/* Small enhancements; every page works without them.
   1. The actions register: filter by text and status, sort by a column; other tables marked data-sortable: sort.
   2. Give Material's version selector an accessible name that contains its visible text. */
(function () {
  "use strict";

  // The server writes each cell's key in data-sort so that plain text order is the natural one (ids by number,
  // statuses by severity, dates ISO, numbers zero-padded); a cell without one sorts by its text.
  function sortKey(cell) {
    var key = cell.getAttribute("data-sort");
    return (key === null ? cell.textContent : key).trim().toLowerCase();
  }

  function enhanceRegister(table) {
    if (table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var tools = document.createElement("div");
    tools.className = "ip-register-tools";
    tools.innerHTML =
      '<div><label for="ip-filter">Filter actions</label><input id="ip-filter" type="search" placeholder="Id, words or lead"></div>' +
      '<div><label for="ip-status">Status</label><select id="ip-status"><option value="">Any status</option>' +
      '<option value="overdue">Overdue</option><option value="not_started">Not started</option><option value="red">Red</option>' +
      '<option value="amber">Amber</option><option value="green">Green</option><option value="complete">Complete</option></select></div>' +
      '<p class="ip-count" aria-live="polite"></p>';
    table.parentNode.parentNode.insertBefore(tools, table.parentNode);
    var input = tools.querySelector("input"), select = tools.querySelector("select"), count = tools.querySelector(".ip-count");

    function apply() {
      var words = input.value.trim().toLowerCase(), status = select.value, shown = 0;
      rows.forEach(function (row) {
        var ok = (!words || row.textContent.toLowerCase().indexOf(words) >= 0) &&
          (!status || (" " + row.getAttribute("data-status") + " ").indexOf(" " + status + " ") >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "Showing " + shown + " of " + rows.length + " actions";
    }
    input.addEventListener("input", apply);
    select.addEventListener("change", apply);
    var hash = (location.hash || "").replace("#status=", "");
    if (location.hash.indexOf("#status=") === 0) select.value = hash;
    apply();
    makeSortable(table);
  }

  function makeSortable(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var order = new Map(rows.map(function (row, i) { return [row, i]; }));  // ties keep the page's own order
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[index]), y = sortKey(b.cells[index]);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1) || order.get(a) - order.get(b);
        });
        rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
      });
    });
  }

  function labelVersionSelector() {
    var current = document.querySelector(".md-version__current");
    if (current && !current.dataset.labelled) {
      current.dataset.labelled = "1";
      var parts = Array.prototype.map.call(current.childNodes, function (n) { return n.textContent.trim(); });
      current.setAttribute("aria-label", "Version: " + parts.filter(Boolean).join(" "));
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-register]"), enhanceRegister);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), makeSortable);
    labelVersionSelector();
    new MutationObserver(labelVersionSelector).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* --- access (issue 11 part 6) --- */
/* Names for Material's landmarks that have none: the search dialog, and the two notice banners (the page's own
   notices and the "earlier version" one, which Material's script reveals), so a screen reader's list of landmarks
   tells them apart (axe: aria-dialog-name, landmark-unique). */
(function () {
  "use strict";
  function name(selector, label) {
    var el = document.querySelector(selector);
    if (el && !el.hasAttribute("aria-label")) el.setAttribute("aria-label", label);
  }
  function init() {
    name(".md-search[role=dialog]", "Search");
    name("[data-md-component=announce] > aside", "Notices");
    name("[data-md-component=outdated] > aside", "Version notice");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
