// The live page, whole: HTML, CSS and vanilla JS bundled with the Worker (no build step). The token stays
// in this tab's sessionStorage; every request it makes is to this stub, with that token.

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#243a5e;color:#fff;padding:10px 16px}header h1{font-size:16px;margin:0}
main{display:grid;grid-template-columns:minmax(220px,1fr) 3fr;gap:16px;padding:16px}
form{display:flex;gap:8px;padding:12px 16px;background:#eef1f6}
input{flex:1;padding:6px;font:inherit}button{font:inherit;padding:6px 12px;cursor:pointer}
#message{padding:0 16px;color:#a4262c;font-weight:600;white-space:pre-wrap}
ul{list-style:none;margin:0;padding:0}#calls li{padding:6px 8px;border-bottom:1px solid #ddd;cursor:pointer}
#calls li.selected{background:#dde7f7}.muted{color:#666}.ok{color:#107c10}.bad{color:#a4262c}
.violation{background:#fde7e9;border-left:4px solid #a4262c;padding-left:6px}
#timeline li{padding:4px 0;border-bottom:1px dotted #ccc;font-family:ui-monospace,monospace;font-size:12.5px}
#timeline .attempts{margin-left:24px}.tag{display:inline-block;min-width:96px;font-weight:600}
h2{font-size:14px;margin:8px 0}`;

const SCRIPT = `
const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "graph-comms-stub.token";
let socket, selected;
const token = () => sessionStorage.getItem(TOKEN_KEY) || "";
const el = (tag, props = {}, ...children) => { const e = Object.assign(document.createElement(tag), props); e.append(...children); return e; };
const time = (iso) => (iso ? new Date(iso).toISOString().slice(11, 23) : "");
const say = (text) => { $("message").textContent = text; };

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(response.status + " " + (body.error ? body.error.code + ": " + body.error.message : response.statusText));
  return body;
}

async function loadCalls() {
  if (!token()) return say("Paste the token your bot sends Graph.");
  try {
    const { value } = await api("/_stub/calls");
    say(value.length ? "" : "No calls for this token. Each token is its own namespace: paste the token your bot sends.");
    $("calls").replaceChildren(...value.map((call) => {
      const li = el("li", { className: call.callId === selected ? "selected" : "" },
        el("div", {}, call.callId), el("div", { className: "muted" }, (call.state || "operations only") + " · " + call.operationCount + " operation(s)"));
      li.dataset.callId = call.callId;
      li.onclick = () => watch(call.callId);
      return li;
    }));
  } catch (error) {
    $("calls").replaceChildren();
    say(String(error.message));
  }
}

function watch(callId) {
  selected = callId;
  location.hash = "call=" + encodeURIComponent(callId);
  for (const li of $("calls").children) li.classList.toggle("selected", li.dataset.callId === callId);
  if (socket) socket.close();
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(scheme + "//" + location.host + "/_stub/calls/" + encodeURIComponent(callId) + "/live?access_token=" + encodeURIComponent(token()));
  $("status").textContent = "connecting…";
  socket.onopen = () => { $("status").textContent = "live"; };
  socket.onclose = () => { $("status").textContent = "disconnected"; };
  socket.onmessage = (event) => render(JSON.parse(event.data));
}

function resourceOf(payload) {
  const value = payload && payload.value && payload.value[0];
  const data = value && value.resourceData;
  if (!data) return "";
  if (Array.isArray(data)) return "participants: " + data.length;
  const type = String(data["@odata.type"] || "").replace("#microsoft.graph.", "");
  return type + (data.status ? " " + data.status : "") + (data.state ? " " + data.state : "");
}

function render(timeline) {
  $("title").textContent = timeline.callId + (timeline.call ? " — " + timeline.call.direction + ", " + timeline.call.state : "") + (timeline.exists ? "" : " — no such call (never began, reset or expired)");
  $("operations").replaceChildren(...timeline.operations.map((op) => el("li", {}, op.id + " " + op.type.replace("#microsoft.graph.", "") + " " + op.status)));
  $("participants").textContent = timeline.participants.length + " participant(s)";
  const events = [];
  for (const r of timeline.requests)
    events.push([r.dateTime, el("li", { className: r.faultStatus ? "bad" : "" }, el("span", { className: "tag" }, "request"), " " + time(r.dateTime) + " " + r.route + " → " + r.outcome + (r.faultStatus ? " (injected " + r.faultStatus + ")" : "") + (r.delayMs ? " +" + r.delayMs + " ms latency" : ""))]);
  for (const j of timeline.journal)
    events.push([j.dateTime, el("li", { className: j.kind === "violation" ? "violation" : "bad" }, el("span", { className: "tag" }, j.kind === "violation" ? "Retry-After!" : "fault"), " " + time(j.dateTime) + " " + j.route + (j.status ? " " + j.status : "") + (j.retryAfterSeconds ? " Retry-After " + j.retryAfterSeconds + " s" : "") + (j.latencyMs ? " +" + j.latencyMs + " ms" : "") + (j.kind === "violation" ? " — came back before the Retry-After it was given" : ""))]);
  for (const n of timeline.notifications) {
    const attempts = el("ul", { className: "attempts" }, ...n.attempts.map((a) =>
      el("li", { className: a.status >= 200 && a.status < 300 ? "ok" : "bad" }, "attempt " + a.attempt + " " + time(a.dateTime) + " → " + (a.status === null ? "error: " + a.error : a.status + (a.error ? " " + a.error : "")))));
    const next = n.nextAttemptDateTime ? " · next retry " + time(n.nextAttemptDateTime) : "";
    const li = el("li", { className: "notification" }, el("span", { className: "tag" }, "notification"), " " + time(n.createdDateTime) + " #" + n.sequence + " " + n.changeType + " " + resourceOf(n.payload) + " · " + n.state + next, attempts);
    li.dataset.state = n.state;
    events.push([n.createdDateTime, li]);
  }
  events.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  $("timeline").replaceChildren(...events.map((e) => e[1]));
}

$("token-form").onsubmit = (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  loadCalls();
};
$("refresh").onclick = loadCalls;
const fromHash = new URLSearchParams(location.hash.slice(1)).get("call");
loadCalls().then(() => { if (fromHash && token()) watch(fromHash); });
setInterval(loadCalls, 3000);`;

export const LIVE_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>graph-comms-stub — what the stub did</title><style>${STYLE}</style></head>
<body>
<header><h1>graph-comms-stub — what the stub did</h1></header>
<form id="token-form"><input id="token" type="password" autocomplete="off" placeholder="Your bot's bearer token (kept in this tab only)" aria-label="token"><button type="submit">Show my calls</button><button type="button" id="refresh">Refresh</button></form>
<p id="message" role="status"></p>
<main>
<section><h2>Calls</h2><ul id="calls"></ul></section>
<section><h2 id="title">Pick a call</h2><p class="muted"><span id="status"></span> · <span id="participants"></span></p>
<h2>Operations</h2><ul id="operations"></ul>
<h2>Timeline</h2><ul id="timeline"></ul></section>
</main>
<script>${SCRIPT}</script>
</body></html>`;
