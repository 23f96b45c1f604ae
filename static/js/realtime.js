/* Live updates for logged-in pages: the unread count in the menu, Mededelingen and the
 * conversation of a match. Everything also works without this file, by reload.
 *
 * The server sends every event of this person under "event", with an increasing id.
 * On (re)connecting the page sends the last id it saw, and the server replays what
 * was missed, oldest first; ids already shown are skipped.
 */
(function () {
  "use strict";
  if (typeof window.io !== "function") return;

  var body = document.body;
  var lastId = parseInt(body.getAttribute("data-last-event-id") || "0", 10) || 0;
  var seen = {};
  var socket = window.io({
    transports: ["websocket", "polling"],
    auth: function (send) { send({ last_id: lastId }); }
  });

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = value;
    return node;
  }

  function timeLabel(iso) {
    var date = new Date(iso);
    var node = document.createElement("time");
    node.setAttribute("datetime", iso);
    node.textContent = date.toLocaleString(document.documentElement.lang || "nl", {
      day: "numeric", month: "long", hour: "2-digit", minute: "2-digit"
    });
    return node;
  }

  function bumpUnread() {
    var counter = document.getElementById("meldingen-teller");
    if (!counter) return;
    var count = counter.querySelector(".count");
    count.textContent = String((parseInt(count.textContent, 10) || 0) + 1);
    counter.hidden = false;
  }

  function showNotification(event) {
    var list = document.getElementById("meldingen");
    if (!list) { bumpUnread(); return; }
    var item = document.createElement("li");
    item.className = "card card-new";
    item.setAttribute("data-event-id", String(event.id));
    item.appendChild(text("h2", "", event.title));
    item.appendChild(text("p", "description", event.body));
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.appendChild(timeLabel(event.created_at));
    item.appendChild(meta);
    list.insertBefore(item, list.firstChild);
    list.hidden = false;
    var none = document.getElementById("geen-meldingen");
    if (none) none.hidden = true;
  }

  function showMessage(event) {
    var list = document.getElementById("berichten");
    var data = event.data || {};
    if (!list || String(data.match_id) !== list.getAttribute("data-match-id")) return false;
    if (document.getElementById("bericht-" + data.message_id)) return true;
    var mine = String(data.sender_id) === list.getAttribute("data-me");
    var item = document.createElement("li");
    item.className = mine ? "message message-mine" : "message";
    item.id = "bericht-" + data.message_id;
    var meta = document.createElement("p");
    meta.className = "message-meta";
    meta.appendChild(text("strong", "", mine ? list.getAttribute("data-you-label") : data.sender));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(timeLabel(data.created_at));
    item.appendChild(meta);
    item.appendChild(text("p", "description", data.text));
    list.appendChild(item);
    var none = document.getElementById("geen-berichten");
    if (none) none.hidden = true;
    return true;
  }

  socket.on("event", function (event) {
    if (!event || seen[event.id]) return;
    seen[event.id] = true;
    if (event.id > lastId) lastId = event.id;
    var onPage = event.kind === "message" && showMessage(event);
    if (event.title && !onPage) showNotification(event);
    /* Other scripts (the moderation panel, say) listen here instead of opening a socket. */
    document.dispatchEvent(new CustomEvent("buurthulp:event", { detail: event }));
  });

  /* Now and then, and when the page comes back into view, ask for what was missed. Live
   * events from other server processes travel through Redis; while it is down they
   * arrive this way instead, a minute late at most. Without a socket: reload. */
  var SYNC_EVERY_MS = 60000;
  function sync() {
    if (socket.connected) socket.emit("sync", { last_id: lastId });
  }
  window.setInterval(sync, SYNC_EVERY_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sync();
  });

  function newKey() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  /* The message form: sent over the socket when it is connected. When that fails, the
   * form is posted the ordinary way with the same key, so the message is stored once. */
  var form = document.getElementById("bericht-formulier");
  var list = document.getElementById("berichten");
  if (form && list) {
    form.addEventListener("submit", function (submit) {
      var field = form.querySelector("textarea[name=body]");
      var key = form.querySelector("input[name=client_key]");
      if (!socket.connected || !field.value.trim()) return;
      submit.preventDefault();
      var payload = {
        match_id: parseInt(list.getAttribute("data-match-id"), 10),
        body: field.value,
        client_key: key.value
      };
      socket.timeout(5000).emit("send_message", payload, function (error, answer) {
        if (error || !answer || !answer.ok) { form.submit(); return; }
        field.value = "";
        key.value = newKey();
        field.focus();
      });
    });
  }
})();
