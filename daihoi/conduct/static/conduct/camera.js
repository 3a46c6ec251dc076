// Camera check-in: a badge's QR code read with html5-qrcode (vendored under static files)
// fills the code field and submits the check-in form; typing the code keeps working.
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  var start = document.getElementById("camera-start");
  var stop = document.getElementById("camera-stop");
  var note = document.getElementById("camera-note");
  if (!form || !start) { return; }
  var hasCamera = window.Html5Qrcode && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!hasCamera) { note.hidden = false; return; }
  start.hidden = false;
  var scanner = null;
  var last = "";
  var lastAt = 0;

  function read(text) {
    var now = Date.now();
    if (text === last && now - lastAt < 3000) { return; }  // one badge held in front: once
    last = text; lastAt = now;
    form.code.value = text;
    form.requestSubmit();
  }

  start.addEventListener("click", function () {
    scanner = scanner || new window.Html5Qrcode("camera");
    scanner.start({ facingMode: "environment" }, { fps: 10, qrbox: 220 }, read, function () {})
      .then(function () { start.hidden = true; stop.hidden = false; })
      .catch(function () { note.hidden = false; start.hidden = true; });
  });
  stop.addEventListener("click", function () {
    if (scanner) {
      scanner.stop().then(function () { stop.hidden = true; start.hidden = false; });
    }
    form.code.focus();
  });
}());
