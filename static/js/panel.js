// The panel's live count of what waits for review: realtime.js passes every event on as a
// "buurthulp:event" DOM event; without JavaScript the count is right on every reload.
(function () {
  "use strict";
  document.addEventListener("buurthulp:event", function (e) {
    var event = e.detail || {};
    if (event.kind !== "moderation_queue" || !event.data) {
      return;
    }
    var target = document.querySelector(
      '[data-queue-count="' + String(event.data.initiative_id) + '"]'
    );
    if (target) {
      target.textContent = String(event.data.pending);
    }
  });
})();
