/* The words the scripts write, in the page's language (kziran.publishing.interface puts
   them into every page); English when a page has none. */
function kziranWords() {
  var block = document.getElementById("kziran-words");
  var words = block ? JSON.parse(block.textContent) : {};
  words.filters = words.filters || {form: "Filter the claims", words: "Words in the claim ",
    verdict: "Verdict", section: "Section of the article", kind: "Kind of claim",
    shown: "{shown} of {total} claims shown"};
  words.values = words.values || {};
  words.sections_of = words.sections_of || "Show or hide the sections of {page}";
  words.this_page = words.this_page || "this page";
  return words;
}

/* Accessibility repairs of the theme's and docutils' markup, made once the page has loaded:
   - the sidebar's expand buttons (<summary> holding only an icon) get a name;
   - the bibliography's entries get the list-item role their list requires (docutils marks
     them doc-biblioentry, a deprecated role, inside role="list"). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("nav details > summary").forEach(function (summary) {
    if (summary.textContent.trim()) { return; }
    var link = summary.parentNode.parentNode.querySelector("a");
    var words = kziranWords();
    summary.setAttribute("aria-label", words.sections_of.replace(
      "{page}", link ? link.textContent.trim() : words.this_page));
  });
  document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (el) {
    el.setAttribute("role", "listitem");
  });
});

/* Filters for the claims register: one card per claim (div.kziran-claim), whose classes
   name its verdict, section and kind. Facets with counts and a free-text box, all native
   form controls (keyboard and screen readers work as usual). No network, no library. */
document.addEventListener("DOMContentLoaded", function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll("div.kziran-claim"));
  if (!cards.length) { return; }
  var W = kziranWords();
  var facets = [["verdict", W.filters.verdict], ["section", W.filters.section],
                ["kind", W.filters.kind]];
  function value(card, facet) {
    var cls = Array.prototype.find.call(card.classList, function (c) {
      return c.indexOf(facet + "-") === 0; });
    return cls ? cls.slice(facet.length + 1) : "";
  }
  var form = document.createElement("form");
  form.className = "kziran-claim-filters";
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", W.filters.form);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var boxLabel = document.createElement("label");
  boxLabel.textContent = W.filters.words;
  var box = document.createElement("input");
  box.type = "search";
  box.className = "kziran-filter-box";
  boxLabel.appendChild(box);
  form.appendChild(boxLabel);
  var checks = {};
  facets.forEach(function (f) {
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = f[1];
    set.appendChild(legend);
    var counts = {};
    cards.forEach(function (c) { var v = value(c, f[0]); counts[v] = (counts[v] || 0) + 1; });
    checks[f[0]] = Object.keys(counts).sort().map(function (v) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.value = v;
      label.appendChild(input);
      var name = W.values[f[0] + "-" + v] || v.replace(/-/g, " ");
      label.appendChild(document.createTextNode(" " + name + " (" + counts[v] + ")"));
      set.appendChild(label);
      return input;
    });
    form.appendChild(set);
  });
  var status = document.createElement("p");
  status.className = "kziran-filter-count";
  status.setAttribute("role", "status");
  form.appendChild(status);
  cards[0].parentNode.insertBefore(form, cards[0]);
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var keep = facets.every(function (f) {
        var on = checks[f[0]].filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
        return !on.length || on.indexOf(value(card, f[0])) !== -1;
      }) && words.every(function (w) { return card.textContent.toLowerCase().indexOf(w) !== -1; });
      card.hidden = !keep;
      if (keep) { shown += 1; }
    });
    status.textContent = W.filters.shown.replace("{shown}", shown)
      .replace("{total}", cards.length);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  apply();
});

/* A glued number's note opens on a tap too (touch screens have no hover), and closes on a
   second tap, on a tap elsewhere or with Escape. */
document.addEventListener("DOMContentLoaded", function () {
  var glued = document.querySelectorAll(".kziran-glued");
  function closeAll(except) {
    glued.forEach(function (g) { if (g !== except) { g.classList.remove("kziran-open"); } });
  }
  glued.forEach(function (g) {
    g.addEventListener("click", function (e) {
      e.stopPropagation();
      closeAll(g);
      g.classList.toggle("kziran-open");
    });
  });
  document.addEventListener("click", function () { closeAll(null); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { closeAll(null); } });
});

/* A table wider than its column on this screen becomes a stack of cards, one per row, each
   cell headed by its column's name: no column hidden behind a scroll bar. Measured again
   when the window is resized. */
document.addEventListener("DOMContentLoaded", function () {
  var tables = Array.prototype.slice.call(document.querySelectorAll("article table"));
  tables.forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (heads[i]) { td.setAttribute("data-label", heads[i]); }
      });
    });
  });
  function fit() {
    tables.forEach(function (table) {
      table.classList.remove("kziran-stacked");
      var room = (table.parentElement || table).clientWidth;
      if (table.scrollWidth > room + 1 && table.querySelector("thead")) {
        table.classList.add("kziran-stacked");
      }
    });
  }
  fit();
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(fit, 100);
  });
});
