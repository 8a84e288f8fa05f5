(function () {
  "use strict";
  // The view holds, per mark id, its legend key, its group (actor or narrative) and its tooltip lines.
  var view = JSON.parse(document.getElementById("spinscope-view").textContent);
  var marks = view.marks;
  var on = {};
  view.legend.forEach(function (e) { on[e.key] = true; });
  var groups = {};
  var segs = Array.prototype.slice.call(document.querySelectorAll(".seg[data-m]"));
  var tip = document.getElementById("tip");

  segs.forEach(function (el) { el.removeAttribute("title"); });  // our tooltip replaces the native one

  function ids(el) { return el.getAttribute("data-m").split(" "); }

  function shown(el) {
    return ids(el).filter(function (id) {
      var m = marks[id];
      return m && ((m.k && on[m.k]) || (m.g && groups[m.g]));
    });
  }

  function restyle() {
    segs.forEach(function (el) {
      var list = ids(el), colour = null, n = 0, focus = false, evidence = false, warn = false;
      list.forEach(function (id) {
        var m = marks[id];
        if (!m) { return; }
        if (m.k && on[m.k]) { n += 1; warn = warn || !!m.w; if (colour === null) { colour = m.k; } }
        if (m.g && groups[m.g]) { if (m.g.charAt(0) === "e") { focus = true; } else { evidence = true; } }
      });
      el.className = el.className.replace(/\bc\d+\b/g, "").replace(/\s+/g, " ").trim();
      if (colour !== null) { el.classList.add("c" + colour); }
      el.classList.toggle("multi", n > 1);
      el.classList.toggle("warn", warn);
      el.classList.toggle("focus", focus);
      el.classList.toggle("evidence", evidence);
    });
  }

  function showTip(el) {
    var list = shown(el);
    if (!list.length) { hideTip(); return; }
    tip.textContent = "";
    list.forEach(function (id) {
      var item = document.createElement("div");
      item.className = "item";
      marks[id].t.forEach(function (line, i) {
        var row = document.createElement("div");
        if (i === 0) { row.className = "head"; }
        row.textContent = line;
        item.appendChild(row);
      });
      tip.appendChild(item);
    });
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
  }

  function hideTip() { tip.hidden = true; }

  function segOf(target) {
    return target && target.closest ? target.closest(".seg[data-m]") : null;
  }

  var text = document.getElementById("text");
  text.addEventListener("mouseover", function (ev) { var el = segOf(ev.target); if (el) { showTip(el); } });
  text.addEventListener("mouseout", function (ev) { if (segOf(ev.target)) { hideTip(); } });
  text.addEventListener("focusin", function (ev) { var el = segOf(ev.target); if (el) { showTip(el); } });
  text.addEventListener("focusout", hideTip);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hideTip(); } });

  document.querySelectorAll(".legend input[data-key]").forEach(function (box) {
    box.addEventListener("change", function () { on[box.getAttribute("data-key")] = box.checked; restyle(); });
  });
  document.querySelectorAll(".legend button[data-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-all") === "on";
      document.querySelectorAll(".legend input[data-key]").forEach(function (box) {
        box.checked = value;
        on[box.getAttribute("data-key")] = value;
      });
      restyle();
    });
  });

  document.querySelectorAll("button.group[data-group]").forEach(function (button) {
    button.addEventListener("click", function () {
      var g = button.getAttribute("data-group");
      groups[g] = !groups[g];
      document.querySelectorAll('button.group[data-group="' + g + '"]').forEach(function (b) {
        b.setAttribute("aria-pressed", groups[g] ? "true" : "false");
      });
      restyle();
      if (groups[g]) {
        var first = segs.filter(function (el) {
          return ids(el).some(function (id) { return marks[id] && marks[id].g === g; });
        })[0];
        if (first) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
      }
    });
  });

  restyle();
})();
