// Type-checked in the fresh project against the shipped dist/api.d.ts (../run.ts runs tsc on it).
import { type StartStubOptions, type Stub, startStub } from "graph-comms-stub";

const options: StartStubOptions = { port: 0, https: { dir: "tls" }, authMode: "optional", tokens: ["a", "b"] };
const stub: Stub = await startStub(options);
const url: string = stub.url;
const caFile: string | undefined = stub.caFile;
const headers: Record<string, string> = stub.headers("a");
const trust: () => void = stub.trustCa;
await stub.configure({ progression: {} }, "b");
await stub.configure({ calling: { promptMs: 10 } }, { replace: true, token: "a" });
await stub.reset({ config: true });
await stub.reset();
const call: { id: string; state: string } = await stub.incomingCall({ callbackUri: "http://127.0.0.1:1/" });
await stub.pressTones(call.id, ["1", "#", "pound", "star"], { delayMs: 5 });
// @ts-expect-error not a tone
await stub.pressTones(call.id, ["hash"]);
await stub.hangUp(call.id, { code: 200, subcode: 5002 });
await stub.supplyRecording(call.id, new Uint8Array(44));
const count: number = await stub.requests(call.id, { route: "playPrompt", count: true });
const sent: { route: string; requestBody?: unknown }[] = await stub.requests(undefined, { status: "4xx" });
const told: (string | null)[] = (await stub.notifications(call.id)).map((n) => n.callState ?? n.operationStatus);
const ops: Record<string, unknown>[] = await stub.operations(call.id);
const state: string | undefined = (await stub.call(call.id))?.state;
const running: { id: string; status: string } = await stub.waitFor(call.id, (t) =>
	t.operations.find((op) => op.status === "running"),
);
const made: { id: string; joinMeetingId: string | null } = await stub.createMeeting({
	passcode: "psw123",
	participants: [{ key: "alice", identity: { user: { id: "a1", displayName: "Alice" } } }],
	script: [{ atMs: 100, action: "startSharing", key: "alice" }],
});
const meeting = stub.meeting(made);
const bob: { id: string; mediaStreams: { sourceId: string }[] } = await meeting.join({
	key: "bob",
	identity: { guest: { id: "g1", displayName: "Bob" } },
	streams: [{ mediaType: "video", direction: "sendOnly" }],
});
for (const act of [meeting.mute, meeting.unmute, meeting.startVideo, meeting.stopVideo, meeting.admit])
	await act("bob");
const sharing: boolean = (await meeting.startSharing("alice")).mediaStreams.some((s) => s.direction === "sendOnly");
await meeting.stopSharing("alice");
await meeting.act("alice", "mute");
await meeting.leave(bob.id);
const names: (string | null | undefined)[] = (await stub.meeting(made.id).roster()).map(
	(p) => p.info.identity.user?.displayName,
);
const calls: number | undefined = (await meeting.view())?.calls.length;
await meeting.delete();
// @ts-expect-error a stream's mediaType is one of four
await meeting.join({ identity: { user: { id: "x" } }, streams: [{ mediaType: "screen" }] });
// @ts-expect-error a script step's action is one of the controls
await stub.createMeeting({ script: [{ atMs: 0, action: "share", key: "alice" }] });
const rostered = await stub.waitFor(call.id, (t) => t.notifications.find((n) => n.roster?.some((p) => p.isMuted)));
const roster: { id: string }[] | null = rostered.roster;
console.log(count, sent, told, ops, state, running, sharing, names, calls, roster);
await stub.close();
// @ts-expect-error the port is a number
await startStub({ port: "8787" });
console.log(url, caFile, headers, trust);
