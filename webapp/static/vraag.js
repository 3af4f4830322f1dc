// The question form: show the closest existing answers as the teacher types.
// Without this file the form shows them as a step after "Versturen".
(function () {
  "use strict";
  var box = document.getElementById("vraag-suggesties");
  var field = document.getElementById("vraag");
  var confirmed = document.getElementById("bevestigd");
  if (!box || !field || !confirmed || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var timer = null;
  var last = null;

  function update() {
    var text = field.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 3) {
      box.innerHTML = "";
      return;
    }
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (text !== last) return; // a newer question is on its way
        box.innerHTML = html;
        // The teacher has seen the closest answers here, so "Versturen" asks at once.
        if (html.trim()) confirmed.value = "1";
      })
      .catch(function () { /* the step after Versturen shows them instead */ });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 350);
  });
  update();
})();
