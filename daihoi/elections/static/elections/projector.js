// The hall's projector: results arrive as server-sent events; attendance, the agenda, the
// speaker and turnout are fetched again after every event and every few seconds.
// EventSource reconnects by itself after a dropped stream; when the browser gives up
// (readyState CLOSED, e.g. after an error status from a proxy) we open a new one.
(function () {
  "use strict";
  var root = document.getElementById("projector");
  if (!root) { return; }
  var results = document.getElementById("results");
  var hall = document.getElementById("hall");
  var state = document.getElementById("link-state");
  var source = null;
  var retry = 1000;

  function refreshHall() {
    fetch(root.dataset.hall, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { hall.innerHTML = html; tick(); } })
      .catch(function () {});
  }

  function online(ok) {
    state.textContent = ok ? "" : state.dataset.offline;
    root.classList.toggle("offline", !ok);
  }

  function onPanel(event) {
    results.innerHTML = event.data;
    refreshHall();
  }

  function connect() {
    source = new EventSource(root.dataset.stream);
    ["panel", "opened", "closed", "released"].forEach(function (kind) {
      source.addEventListener(kind, onPanel);
    });
    source.onopen = function () { retry = 1000; online(true); };
    source.onerror = function () {
      online(false);
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      }
    };
  }

  function tick() {
    var timers = document.querySelectorAll(".hall-timer[data-ends]");
    timers.forEach(function (el) {
      var ends = parseInt(el.dataset.ends, 10);
      if (!ends) { return; }
      var left = Math.round((ends - Date.now()) / 1000);
      var sign = left < 0 ? "−" : "";
      var abs = Math.abs(left);
      el.textContent = sign + Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      el.classList.toggle("over", left < 0);
    });
  }

  connect();
  setInterval(refreshHall, 3000);
  setInterval(tick, 1000);
  tick();
}());
