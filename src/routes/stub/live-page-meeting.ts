// The live page's meeting panel (part of live-page-html.ts): a meeting's roster now and its changes in
// order, pushed over the meeting's WebSocket (GET /_stub/meetings/{id}/live). Opens by itself for a call
// joined to a meeting, or for `#meeting=<id>` / the meeting form. Everything shown is text (textContent).

export const MEETING_STYLE = `
#meeting{border:1px solid #c8d3e6;background:#fff;padding:4px 10px 8px;margin:8px 0}
#roster{border-collapse:collapse;width:100%;font-size:12.5px}#roster th,#roster td{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;vertical-align:top}
#roster td.streams{font-family:ui-monospace,monospace}
#roster-history li{padding:3px 0;border-bottom:1px dotted #ccc;font-family:ui-monospace,monospace;font-size:12.5px}
#roster-history .seq{display:inline-block;min-width:44px;font-weight:600}`;

export const MEETING_HTML = `<section id="meeting" hidden><h2 id="meeting-title">Meeting</h2>
<p class="muted"><span id="meeting-status"></span> · <span id="meeting-calls"></span></p>
<table id="roster"><thead><tr><th>Participant</th><th>State</th><th>Streams (mediaType sourceId direction)</th><th>Roster #</th></tr></thead><tbody></tbody></table>
<h2>Roster changes <span class="muted" id="history-note"></span></h2><ul id="roster-history"></ul></section>`;

export const MEETING_FORM = `<form id="meeting-form"><input id="meeting-id" autocomplete="off" placeholder="A meeting id (from POST /_stub/meetings) to watch its roster" aria-label="meeting id"><button type="submit">Watch meeting</button></form>`;

export const MEETING_SCRIPT = `
let meetingSocket, meetingWatched, meetingMessages = 0;
// When this page first saw each change pushed (the history the meeting sent first has no time here).
const seenAt = new Map();
const WORDS = { joined: "joined", left: "left", inLobby: "is waiting in the lobby", admitted: "was admitted from the lobby",
  muted: "muted", unmuted: "unmuted", startedVideo: "started video", stoppedVideo: "stopped video",
  startedSharing: "started sharing their screen", stoppedSharing: "stopped sharing their screen",
  recordingChanged: "changed their recording status", changed: "changed" };
// For each kind of change, the streams worth naming beside it.
const STREAMS_OF = { joined: () => true, inLobby: () => true, startedVideo: (s) => s.mediaType === "video",
  stoppedVideo: (s) => s.mediaType === "video", startedSharing: (s) => s.mediaType === "videoBasedScreenSharing",
  stoppedSharing: (s) => s.mediaType === "videoBasedScreenSharing" };
const streamText = (s) => s.mediaType + " " + s.sourceId + " " + s.direction + (s.serverMuted ? " serverMuted" : "");
const sending = (p, type) => p.mediaStreams.some((s) => s.mediaType === type && (s.direction === "sendOnly" || s.direction === "sendReceive"));

function participantName(p) {
  const identity = (p.info && p.info.identity) || {};
  for (const [kind, value] of Object.entries(identity)) {
    if (kind.startsWith("@") || !value || typeof value !== "object") continue;
    if (value.displayName) return value.displayName + (kind === "user" ? "" : " (" + kind + ")");
    if (value.id) return value.id + " (" + kind + ")";
  }
  return p.id;
}

function watchMeeting(meetingId) {
  if (meetingWatched === meetingId && meetingSocket && meetingSocket.readyState <= 1) return;
  meetingWatched = meetingId;
  meetingMessages = 0;
  seenAt.clear();
  if (meetingSocket) meetingSocket.close();
  $("meeting").hidden = false;
  $("meeting-title").textContent = "Meeting " + meetingId;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(scheme + "//" + location.host + "/_stub/meetings/" + encodeURIComponent(meetingId) + "/live?access_token=" + encodeURIComponent(token()));
  meetingSocket = socket;
  $("meeting-status").textContent = "connecting…";
  socket.onopen = () => { $("meeting-status").textContent = "live"; };
  socket.onclose = () => { if (meetingSocket === socket) $("meeting-status").textContent = "disconnected"; };
  socket.onmessage = (event) => { if (meetingSocket === socket) renderMeeting(JSON.parse(event.data)); };
}

function renderMeeting(m) {
  const first = meetingMessages++ === 0;
  $("meeting-title").textContent = "Meeting " + m.meetingId + (m.exists ? (m.subject ? " — " + m.subject : "") + (m.joinMeetingId ? " · joinMeetingId " + m.joinMeetingId : "") + " · roster #" + m.rosterSequenceNumber : " — no such meeting (not made yet, or ended)");
  $("meeting-calls").replaceChildren(m.calls.length ? "calls joined: " : "no bot's call joined", ...m.calls.map((c) => {
    const a = el("a", { href: "#call=" + encodeURIComponent(c.callId) }, c.callId + " (has #" + c.rosterSequenceNumber + ")");
    a.onclick = (event) => { event.preventDefault(); watch(c.callId); };
    return el("span", {}, a, " ");
  }));
  $("roster").tBodies[0].replaceChildren(...m.participants.map((p) => {
    const state = [p.isInLobby ? "in lobby" : "in", p.isMuted ? "muted" : "", sending(p, "video") ? "video" : "", sending(p, "videoBasedScreenSharing") ? "sharing" : "", p.recordingInfo && p.recordingInfo.status ? "recording: " + p.recordingInfo.status : ""].filter(Boolean).join(", ");
    const tr = el("tr", {}, el("td", { title: p.id }, participantName(p)), el("td", {}, state), el("td", { className: "streams" }, p.mediaStreams.map(streamText).join(" · ")), el("td", {}, "#" + p.rosterSequenceNumber));
    tr.dataset.participantId = p.id;
    return tr;
  }));
  const now = new Date().toISOString();
  $("history-note").textContent = m.history.since ? "after #" + m.history.since + " (the meeting keeps its newest 100 changes)" : "from the start (the meeting keeps its newest 100 changes)";
  $("roster-history").replaceChildren(...m.history.events.map((e) => {
    if (!seenAt.has(e.seq)) seenAt.set(e.seq, first ? null : now);
    const named = e.what.flatMap((kind) => e.participant.mediaStreams.filter(STREAMS_OF[kind] || (() => false)));
    const li = el("li", { className: "roster-event" }, el("span", { className: "seq" }, "#" + e.seq),
      " " + e.name + " " + e.what.map((kind) => WORDS[kind] || kind).join(", ") + (named.length ? " — " + [...new Set(named)].map(streamText).join(", ") : "") +
      (seenAt.get(e.seq) ? " · pushed " + time(seenAt.get(e.seq)) : ""));
    li.dataset.seq = e.seq;
    return li;
  }));
}

$("meeting-form").onsubmit = (event) => {
  event.preventDefault();
  const id = $("meeting-id").value.trim();
  if (!id) return;
  location.hash = "meeting=" + encodeURIComponent(id);
  watchMeeting(id);
};
const meetingFromHash = new URLSearchParams(location.hash.slice(1)).get("meeting");
if (meetingFromHash && token()) watchMeeting(meetingFromHash);`;
