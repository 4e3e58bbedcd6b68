/* Filter box for tables marked "kziran-filter" (the claims register). No network, no library. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.kziran-filter").forEach(function (table) {
    var box = document.createElement("input");
    box.type = "search";
    box.placeholder = "Filter rows (e.g. contradicted, results, trade)";
    box.setAttribute("aria-label", "Filter the rows of this table");
    box.className = "kziran-filter-box";
    var count = document.createElement("span");
    count.className = "kziran-filter-count";
    table.parentNode.insertBefore(box, table);
    table.parentNode.insertBefore(count, table);
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    function apply() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.style.display = keep ? "" : "none";
        if (keep) { shown += 1; }
      });
      count.textContent = " " + shown + " of " + rows.length + " rows";
    }
    box.addEventListener("input", apply);
    apply();
  });
});
