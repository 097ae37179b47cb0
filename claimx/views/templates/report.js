// claimx report: details on click, scoped claims highlighted, sortable overview. No requests.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("claimx-data").textContent);
  var panel = document.getElementById("details");
  var body = panel.querySelector(".details-body");

  function articleOf(id) { return data[id.replace(/[kc]\d+$/, "")]; }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function fields(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "") return;
      list.appendChild(el("dt", row[0]));
      list.appendChild(el("dd", row[1]));
    });
    return list;
  }

  function clearMarks() {
    document.querySelectorAll(".claim.scoped").forEach(function (n) { n.classList.remove("scoped"); });
    document.querySelectorAll("mark.cue.active").forEach(function (n) { n.classList.remove("active"); });
  }

  function markClaims(ids) {
    document.querySelectorAll(".claim[data-claims]").forEach(function (node) {
      var own = node.getAttribute("data-claims").split(" ");
      if (own.some(function (id) { return ids.indexOf(id) >= 0; })) node.classList.add("scoped");
    });
  }

  function claimBlock(id, claim) {
    var box = el("div", null, "claim-detail");
    var head = el("p");
    head.appendChild(el("span", claim.label, "badge static l-" + claim.label));
    var said = claim.source_words ? " (as \u201c" + claim.source_words + "\u201d)" : "";
    var how = claim.attribution ? ", " + claim.attribution : "";
    head.appendChild(document.createTextNode(" " + (claim.source ? "attributed to " + claim.source + said + how : "the author's own claim")));
    box.appendChild(head);
    box.appendChild(el("blockquote", claim.text));
    if (claim.statement) {
      // The claim as a sentence that stands alone; words restored from the sentence are marked.
      var statement = el("p", null, "statement");
      statement.appendChild(el("span", "As a statement: ", "note"));
      claim.statement.forEach(function (segment) {
        var role = segment[1];
        if (role === "claim" || role === "") { statement.appendChild(document.createTextNode(segment[0])); return; }
        var restored = el("ins", segment[0], "restored r-" + role);
        restored.title = role === "antecedent" ? "the name the pronoun refers to" : "restored from the sentence (" + role + ")";
        statement.appendChild(restored);
      });
      box.appendChild(statement);
    }
    return box;
  }

  function showCue(id, node) {
    var cue = articleOf(id).cues[id];
    clearMarks();
    document.querySelectorAll('mark.cue[data-cue="' + id + '"]').forEach(function (n) { n.classList.add("active"); });
    markClaims(cue.claims);
    body.textContent = "";
    var title = el("h3");
    title.appendChild(el("mark", cue.text, "cue static k-" + cue.kind));
    title.appendChild(document.createTextNode(" " + cue.kind));
    body.appendChild(title);
    body.appendChild(fields([
      ["type", cue.type], ["rule", cue.rule], ["weight", cue.weight],
      ["scope", cue.scope], ["learned probability", cue.probability]
    ]));
    body.appendChild(el("p", cue.claims.length === 1 ? "Scopes over this claim:" : "Scopes over these " + cue.claims.length + " claims:", "note"));
    var claims = articleOf(id).claims;
    cue.claims.forEach(function (claimId) { body.appendChild(claimBlock(claimId, claims[claimId])); });
    open();
  }

  function showClaim(id) {
    var claim = articleOf(id).claims[id];
    clearMarks();
    markClaims([id]);
    body.textContent = "";
    body.appendChild(claimBlock(id, claim));
    body.appendChild(fields([
      ["confidence", claim.confidence], ["polarity", claim.polarity], ["claim type", claim.type],
      ["section", claim.section], ["entities", claim.entities.join(", ")], ["why", claim.explanation]
    ]));
    open();
  }

  function open() { panel.hidden = false; }
  function close() { panel.hidden = true; clearMarks(); }

  document.addEventListener("click", function (event) {
    var cue = event.target.closest("mark.cue[data-cue]");
    var badge = event.target.closest("button.badge[data-claim]");
    if (cue) { showCue(cue.getAttribute("data-cue"), cue); }
    else if (badge) { showClaim(badge.getAttribute("data-claim")); }
    else if (event.target.closest(".close") || !event.target.closest("#details")) { close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); return; }
    var cue = event.target.closest && event.target.closest("mark.cue[data-cue]");
    if (cue && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showCue(cue.getAttribute("data-cue"), cue); }
  });

  // Sortable overview: numbers sort by their data-value, text alphabetically.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      th.querySelector("button").addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        if (th.getAttribute("aria-sort") === "none" || !th.hasAttribute("aria-sort")) ascending = th.getAttribute("data-type") === "text";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var tbody = table.tBodies[0];
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute("data-value"), y = b.cells[column].getAttribute("data-value");
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { tbody.appendChild(row); });
      });
    });
  });
})();
