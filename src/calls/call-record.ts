import { isObject } from "../schema/merge-patch";

// A call's record as Graph's callRecords API shows it (microsoft.graph.callRecords, the "Get callRecord"
// examples): made once, when the call ends, from what the call knows. The same in v1.0 and beta (both
// declare organizer_v2, participants_v2, sessions). Session and segment details the stub cannot know
// (network, devices, media streams) are left empty: `media: []` (*inferred*).

export type Identity = Record<string, unknown>;

/** What the call object hands over when it ends (src/objects/call/record-filing.ts). */
export type CallFacts = {
	callChainId: string;
	/** The call's own document (source, targets, requestedModalities, resultInfo, tenantId …). */
	document: Record<string, unknown>;
	createdAt: string;
	establishedAt: string | null;
	endedAt: string;
	/** A meeting call: the people in the meeting's roster as the call last saw it, and the meeting's join URL and organizer. */
	meeting?: { roster: Identity[]; joinWebUrl: string | null; organizer: Identity | null };
};

/** Graph's pages hold at most this many participants and sessions; the stub keeps one page (*inferred*: no paging). */
export const MAX_RECORD_PARTICIPANTS = 130;
const MAX_RECORD_SESSIONS = 60;

const MODALITIES = new Set(["audio", "video", "videoBasedScreenSharing", "data", "screenSharing"]);
const KINDS = ["user", "application", "device", "phone", "guest", "encrypted", "onPremises", "applicationInstance"];

type Party = { kind: string; who: Record<string, unknown> };

const asObject = (value: unknown): Record<string, unknown> | undefined => (isObject(value) ? value : undefined);

/** The first kind an identitySet names (user, application …) and that identity. */
function partyOf(identitySet: unknown): Party | undefined {
	const set = asObject(identitySet);
	for (const kind of KINDS) {
		const who = asObject(set?.[kind]);
		if (who) return { kind, who };
	}
	return undefined;
}

const text = (value: unknown) => (typeof value === "string" ? value : null);
const keyOf = (party: Party) => `${party.kind}:${text(party.who.id) ?? text(party.who.displayName) ?? ""}`;

/** A callRecords identity: id, displayName, tenantId (and a user's userPrincipalName). */
const identityOf = ({ who }: Party, tenantId: string | null) => ({
	id: text(who.id),
	displayName: text(who.displayName),
	tenantId: text(who.tenantId) ?? tenantId,
	...(typeof who.userPrincipalName === "string" ? { userPrincipalName: who.userPrincipalName } : {}),
});

/** organizer_v2 / participants_v2: `{id, identity: {<kind>: identity}}`. */
const participantOf = (party: Party, tenantId: string | null) => ({
	id: text(party.who.id) ?? crypto.randomUUID(),
	identity: { [party.kind]: identityOf(party, tenantId) },
});

/** A bot or service is a serviceEndpoint; a person a participantEndpoint (*inferred*: user agents are not known). */
function endpointOf(party: Party | "conference", tenantId: string | null) {
	if (party === "conference" || party.kind === "application" || party.kind === "applicationInstance")
		return {
			"@odata.type": "#microsoft.graph.callRecords.serviceEndpoint",
			userAgent: {
				"@odata.type": "#microsoft.graph.callRecords.serviceUserAgent",
				headerValue: null,
				applicationVersion: null,
				role: party === "conference" ? "skypeForBusinessAudioVideoMcu" : "customBot",
			},
		};
	return {
		"@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
		name: null,
		userAgent: {
			"@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
			headerValue: null,
			platform: "unknown",
			productFamily: "teams",
		},
		associatedIdentity: identityOf(party, tenantId),
		feedback: null,
	};
}

type ResultInfo = { code?: unknown; subcode?: unknown; message?: unknown };

/** Why the call failed, if it did: never established (callSetup), or ended with a 4xx/5xx code (midcall). */
function failureOf(facts: CallFacts) {
	const result = asObject(facts.document.resultInfo) as ResultInfo | undefined;
	const code = typeof result?.code === "number" ? result.code : 0;
	const reason = text(result?.message) ?? (code ? `${code}/${String(result?.subcode ?? 0)}` : "unknown");
	if (facts.establishedAt === null)
		return { "@odata.type": "#microsoft.graph.callRecords.failureInfo", stage: "callSetup", reason };
	if (code >= 400) return { "@odata.type": "#microsoft.graph.callRecords.failureInfo", stage: "midcall", reason };
	return null;
}

function uniqueParties(identitySets: unknown[]): Party[] {
	const seen = new Map<string, Party>();
	for (const set of identitySets) {
		const party = partyOf(set);
		if (party && !seen.has(keyOf(party))) seen.set(keyOf(party), party);
	}
	return [...seen.values()];
}

const identityOfInfo = (info: unknown) => asObject(info)?.identity;

/** The record of an ended call, every relationship included (the route leaves out what `$expand` does not ask for). */
export function callRecordOf(facts: CallFacts, nowIso: string) {
	const { document } = facts;
	const tenantId = text(document.tenantId);
	const targets = Array.isArray(document.targets) ? document.targets : [];
	const source = identityOfInfo(document.source);
	const parties = uniqueParties([source, ...targets.map(identityOfInfo), ...(facts.meeting?.roster ?? [])]).slice(
		0,
		MAX_RECORD_PARTICIPANTS,
	);
	const group = facts.meeting !== undefined || targets.length > 1;
	const start = facts.establishedAt ?? facts.createdAt;
	const asked = Array.isArray(document.requestedModalities) ? document.requestedModalities : [];
	const modalities = [...new Set(asked)].filter((m): m is string => typeof m === "string" && MODALITIES.has(m));
	const failureInfo = failureOf(facts);
	const session = (caller: Party | undefined, callee: Party | "conference" | undefined) => {
		const ends = {
			caller: caller ? endpointOf(caller, tenantId) : null,
			callee: callee ? endpointOf(callee, tenantId) : null,
		};
		const times = { startDateTime: start, endDateTime: facts.endedAt };
		return {
			id: crypto.randomUUID(),
			modalities,
			...times,
			isTest: false,
			...ends,
			failureInfo,
			segments: [{ id: crypto.randomUUID(), ...times, ...ends, failureInfo, media: [] }],
		};
	};
	const caller = partyOf(source);
	const callee = partyOf(identityOfInfo(targets[0]));
	// A group call has a session per participant, each with the conference; a peer-to-peer call one, caller to callee.
	const sessions = group
		? parties.slice(0, MAX_RECORD_SESSIONS).map((party) => session(party, "conference"))
		: [session(caller, callee)];
	const organizer = partyOf(facts.meeting?.organizer) ?? caller;
	return {
		"@odata.type": "#microsoft.graph.callRecords.callRecord",
		version: 1,
		type: group ? "groupCall" : "peerToPeer",
		modalities,
		lastModifiedDateTime: nowIso,
		startDateTime: start,
		endDateTime: facts.endedAt,
		id: facts.callChainId,
		joinWebUrl: facts.meeting?.joinWebUrl ?? null,
		organizer_v2: organizer ? participantOf(organizer, tenantId) : null,
		participants_v2: parties.map((party) => participantOf(party, tenantId)),
		sessions,
	};
}
export type CallRecord = ReturnType<typeof callRecordOf>;

type Participant_v2 = CallRecord["participants_v2"][number];

/**
 * A second call of the same chain (a tester may give an incoming call a callChainId another call had):
 * one record with a higher version, as Graph's are ("a higher version has more data").
 */
export function mergedRecord(before: CallRecord, added: CallRecord): CallRecord {
	const participants = new Map<string, Participant_v2>();
	for (const one of [...before.participants_v2, ...added.participants_v2]) participants.set(one.id, one);
	return {
		...before,
		version: before.version + 1,
		type: before.type === "groupCall" || added.type === "groupCall" ? "groupCall" : before.type,
		modalities: [...new Set([...before.modalities, ...added.modalities])],
		lastModifiedDateTime: added.lastModifiedDateTime,
		// ISO times in UTC sort as text: the earlier start, the later end.
		startDateTime: [before.startDateTime, added.startDateTime].sort()[0] ?? added.startDateTime,
		endDateTime: [before.endDateTime, added.endDateTime].sort().at(-1) ?? added.endDateTime,
		joinWebUrl: before.joinWebUrl ?? added.joinWebUrl,
		participants_v2: [...participants.values()].slice(0, MAX_RECORD_PARTICIPANTS),
		sessions: [...before.sessions, ...added.sessions].slice(0, MAX_RECORD_SESSIONS),
	};
}
