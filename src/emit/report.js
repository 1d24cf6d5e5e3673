// Filters and search for the evidence report. Without this script the page
// shows every claim, and the controls stay hidden.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var verdict = document.getElementById("verdict");
  var rule = document.getElementById("rule");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var claims = Array.prototype.slice.call(document.querySelectorAll("article.claim"));
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  function apply() {
    var v = verdict.value, r = rule.value, words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    claims.forEach(function (c) {
      var text = c.textContent.toLowerCase();
      var ok = (!v || c.dataset.verdict === v)
        && (!r || c.dataset.rules.split(" ").indexOf(r) >= 0)
        && words.every(function (w) { return text.indexOf(w) >= 0; });
      c.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n === claims.length ? "" : n + " of " + claims.length + " claims shown";
  }
  [verdict, rule].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);
}());
