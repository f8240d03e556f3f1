// The live page, whole: HTML, CSS and vanilla JS bundled with the Worker (no build step). The token stays
// in this tab's sessionStorage; every request it makes is to this stub, with that token.

import { MEETING_FORM, MEETING_HTML, MEETING_SCRIPT, MEETING_STYLE } from "./live-page-meeting";

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
h2{font-size:14px;margin:8px 0}
#timeline .line{cursor:pointer}#timeline .line:hover{background:#eef1f6}
.bodies{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin:4px 0 6px 24px}
.bodies h3{font-size:12px;margin:2px 0}.bodies pre{margin:0;padding:6px;background:#fff;border:1px solid #ddd;max-height:320px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.cut{color:#a4262c;font-weight:600;margin:2px 0}`;

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

// The calls list: the first page of /_stub/calls when the namespace's socket opens, then only what the
// registry pushes over it (a call's new summary, or that it ended). Newest first, at most LIST_MAX shown.
const LIST_MAX = 100;
let calls = [], listSocket, listRetryMs = 1000;
// Changes pushed while the first page is being read apply after it (the page may predate them).
let pending = null;

async function loadCalls() {
  if (!token()) return say("Paste the token your bot sends Graph.");
  pending = pending || [];
  try {
    calls = (await api("/_stub/calls")).value;
    say(calls.length ? "" : "No calls for this token. Each token is its own namespace: paste the token your bot sends.");
    renderCalls();
    return true;
  } catch (error) {
    calls = [];
    renderCalls();
    say(String(error.message));
    return false;
  } finally {
    const changes = pending;
    pending = null;
    for (const change of changes) applyListChange(change);
  }
}

function renderCalls() {
  $("calls").replaceChildren(...calls.map((call) => {
    const li = el("li", { className: call.callId === selected ? "selected" : "" },
      el("div", {}, call.callId), el("div", { className: "muted" }, (call.state || "operations only") + " · " + call.operationCount + " operation(s)"));
    li.dataset.callId = call.callId;
    li.onclick = () => watch(call.callId);
    return li;
  }));
}

function applyListChange(change) {
  const ended = new Set(change.ended);
  calls = calls.filter((call) => !ended.has(call.callId));
  for (const summary of change.calls) {
    const at = calls.findIndex((call) => call.callId === summary.callId);
    if (at >= 0) calls[at] = summary;
    else calls.unshift(summary); // a call that just began is the newest
  }
  calls = calls.slice(0, LIST_MAX);
  if (calls.length) say("");
  renderCalls();
}

function listen() {
  if (listSocket) { listSocket.onclose = null; listSocket.close(); }
  if (!token()) return say("Paste the token your bot sends Graph.");
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(scheme + "//" + location.host + "/_stub/live?access_token=" + encodeURIComponent(token()));
  listSocket = socket;
  let wasOpen = false;
  $("list-status").textContent = "connecting…";
  socket.onopen = () => { wasOpen = true; listRetryMs = 1000; $("list-status").textContent = "live"; loadCalls(); };
  socket.onmessage = (event) => { const change = JSON.parse(event.data); if (pending) pending.push(change); else applyListChange(change); };
  socket.onclose = async () => {
    if (listSocket !== socket) return;
    $("list-status").textContent = "disconnected";
    // Refused before it opened: the list's own read says why (a 401 is shown, and not tried again).
    if (!wasOpen && !(await loadCalls())) return;
    setTimeout(() => { if (listSocket === socket) listen(); }, listRetryMs);
    listRetryMs = Math.min(listRetryMs * 2, 30000);
  };
}

function watch(callId) {
  selected = callId;
  opened.clear();
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

// A request's two bodies, read on click from the journal (GET …/requests?sequence=N) and kept while shown.
// Bodies are the bot's and the stub's raw text: always shown as text (textContent), never as markup.
const opened = new Map();
const entryKey = (callId, r) => callId + " " + r.sequence + " " + r.dateTime;

function requestItem(callId, r) {
  const key = entryKey(callId, r);
  const line = el("div", { className: "line", title: "show the request and response bodies" }, el("span", { className: "tag" }, "request"),
    " " + time(r.dateTime) + " " + r.method + " " + r.path + " → " + r.status + " · " + r.route + (r.outcome === "ok" ? "" : " " + r.outcome) +
    (r.faultStatus ? " (injected " + r.faultStatus + ")" : "") + (r.delayMs ? " +" + r.delayMs + " ms latency" : ""));
  const li = el("li", { className: "request" + (r.faultStatus || r.status >= 400 ? " bad" : "") }, line);
  li.dataset.sequence = r.sequence;
  line.onclick = () => toggleBodies(callId, r, li);
  if (opened.has(key)) li.append(bodiesOf(opened.get(key)));
  return li;
}

async function toggleBodies(callId, r, li) {
  const key = entryKey(callId, r);
  if (opened.has(key)) { opened.delete(key); li.querySelector(".bodies")?.remove(); return; }
  opened.set(key, { loading: true });
  li.append(bodiesOf(opened.get(key)));
  try {
    const { value } = await api("/_stub/calls/" + encodeURIComponent(callId) + "/requests?sequence=" + r.sequence);
    const entry = value.find((e) => e.sequence === r.sequence && e.dateTime === r.dateTime);
    if (opened.has(key)) opened.set(key, entry || { error: "no longer in the journal" });
  } catch (error) {
    if (opened.has(key)) opened.set(key, { error: String(error.message) });
  }
  const shown = li.isConnected ? li : document.querySelector('#timeline li.request[data-sequence="' + r.sequence + '"]');
  if (shown && opened.has(key)) { shown.querySelector(".bodies")?.remove(); shown.append(bodiesOf(opened.get(key))); }
}

function bodyBlock(title, value, cut) {
  const text = value === undefined ? "(no body)" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return el("div", { className: title.startsWith("request") ? "request-body" : "response-body" }, el("h3", {}, title),
    ...(cut ? [el("p", { className: "cut" }, "cut: only the first 16 KiB was kept")] : []), el("pre", {}, text));
}

function bodiesOf(entry) {
  if (entry.loading) return el("div", { className: "bodies muted" }, "loading…");
  if (entry.error) return el("div", { className: "bodies bad" }, entry.error);
  return el("div", { className: "bodies" }, bodyBlock("request body", entry.requestBody, entry.requestBodyTruncated),
    bodyBlock("response body", entry.responseBody, entry.responseBodyTruncated));
}

function render(timeline) {
  $("title").textContent = timeline.callId + (timeline.call ? " — " + timeline.call.direction + ", " + timeline.call.state : "") + (timeline.exists ? "" : " — no such call (never began, reset or expired)");
  $("operations").replaceChildren(...timeline.operations.map((op) => el("li", {}, op.id + " " + op.type.replace("#microsoft.graph.", "") + " " + op.status)));
  $("participants").textContent = timeline.participants.length + " participant(s)";
  if (timeline.meetingId) watchMeeting(timeline.meetingId);
  const events = [];
  for (const r of timeline.requests) events.push([r.dateTime, requestItem(timeline.callId, r)]);
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
  listRetryMs = 1000;
  listen();
};
$("refresh").onclick = loadCalls;
const fromHash = new URLSearchParams(location.hash.slice(1)).get("call");
listen();
if (fromHash && token()) watch(fromHash);`;

export const LIVE_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>graph-comms-stub — what the stub did</title><style>${STYLE}${MEETING_STYLE}</style></head>
<body>
<header><h1>graph-comms-stub — what the stub did</h1></header>
<form id="token-form"><input id="token" type="password" autocomplete="off" placeholder="Your bot's bearer token (kept in this tab only)" aria-label="token"><button type="submit">Show my calls</button><button type="button" id="refresh">Refresh</button></form>
${MEETING_FORM}
<p id="message" role="status"></p>
<main>
<section><h2>Calls <span class="muted" id="list-status"></span></h2><ul id="calls"></ul></section>
<section><h2 id="title">Pick a call</h2><p class="muted"><span id="status"></span> · <span id="participants"></span></p>
${MEETING_HTML}
<h2>Operations</h2><ul id="operations"></ul>
<h2>Timeline</h2><ul id="timeline"></ul></section>
</main>
<script>${SCRIPT}${MEETING_SCRIPT}</script>
</body></html>`;
