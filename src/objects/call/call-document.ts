import type { IncomingCallBody, NewCallBody } from "../../schema/call";
import type { CallDocument } from "./call-store";

// The call as stored (Graph's create and GET examples): declared properties in Graph's order, beta's
// (answeredBy, targets' endpointType …) as null, then whatever else the bot sent (the type is open). Each
// answer and notification shows it as its version declares it (src/schema/version-view.ts).

export type BotIdentity = { id: string; displayName: string };

const identity = (who: Record<string, unknown>) => ({ "@odata.type": "#microsoft.graph.identity", ...who });

/** The bot's own participantInfo (Graph fills `source` with the application when a create omits it). */
export const botParticipantInfo = (bot: BotIdentity) => ({
	"@odata.type": "#microsoft.graph.participantInfo",
	identity: { "@odata.type": "#microsoft.graph.identitySet", application: identity(bot) },
	countryCode: null,
	endpointType: null,
	region: null,
	languageId: null,
});

const asTarget = (target: Record<string, unknown>) => ({
	"@odata.type": "#microsoft.graph.invitationParticipantInfo",
	...target,
	endpointType: target.endpointType ?? null,
	replacesCallId: target.replacesCallId ?? null,
});

/** A Graph-looking call id: real ones read like `6f1f5c00-…` (a random GUID otherwise). */
export function newCallId(): string {
	const random = crypto.randomUUID();
	return `${random.slice(0, 2)}1f${random.slice(4, 6)}00${random.slice(8)}`;
}

const NULL_EXTRAS = {
	ringingTimeoutInSeconds: null,
	mediaState: null,
	resultInfo: null,
	answeredBy: null,
	chatInfo: null,
	meetingInfo: null,
	transcription: null,
	toneInfo: null,
	terminationReason: null,
};

type Ids = { id: string; myParticipantId: string; callChainId: string };

// What the service decides about a call: a create's body may not set it. Instance annotations a client
// sends (`@odata.context`, `@odata.id`, …) are ignored, as on every Graph write.
const SERVER_OWNED = new Set([
	"id",
	"state",
	"myParticipantId",
	"callChainId",
	"resultInfo",
	"mediaState",
	"toneInfo",
	"answeredBy",
	"terminationReason",
	"incomingContext",
]);

/** The open properties a create may add to the call: anything but annotations and what the service owns. */
const clientExtras = (rest: Record<string, unknown>) =>
	Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("@") && !SERVER_OWNED.has(key)));

export function outgoingCall(body: NewCallBody, ids: Ids, bot: BotIdentity): CallDocument {
	const { callbackUri, source, targets, requestedModalities, mediaConfig, tenantId, subject, ...rest } = body;
	return {
		"@odata.type": "#microsoft.graph.call",
		state: "establishing",
		direction: "outgoing",
		callbackUri,
		callChainId: ids.callChainId,
		source: source ?? botParticipantInfo(bot),
		targets: (targets ?? []).map(asTarget),
		requestedModalities: requestedModalities ?? [],
		mediaConfig,
		myParticipantId: ids.myParticipantId,
		id: ids.id,
		tenantId: tenantId ?? null,
		subject: subject ?? null,
		...NULL_EXTRAS,
		...clientExtras(rest),
	};
}

const defaultCaller = () => ({
	"@odata.type": "#microsoft.graph.participantInfo",
	identity: {
		"@odata.type": "#microsoft.graph.identitySet",
		user: identity({ displayName: "Test User", id: crypto.randomUUID() }),
	},
	endpointType: "default",
	region: null,
	languageId: "en-US",
});

/**
 * The ringing call as Graph's incoming-call notification shows it: what the tester gave (the caller, the
 * bot's targets, the incoming context, a meeting's info …), the rest filled in as Graph does.
 */
export function incomingCall(
	body: IncomingCallBody,
	ids: Ids & { callbackUri: string | null; sourceParticipantId: string },
	bot: BotIdentity,
): CallDocument {
	const { answerTimeoutMs: _, incomingContext, callChainId, callRoutes, applicationMetadata, ...given } = body;
	return {
		"@odata.type": "#microsoft.graph.call",
		state: "incoming",
		direction: "incoming",
		callbackUri: ids.callbackUri,
		callChainId: ids.callChainId,
		source: given.source ?? defaultCaller(),
		targets: (given.targets ?? [{ identity: botParticipantInfo(bot).identity }]).map(asTarget),
		requestedModalities: given.requestedModalities ?? ["audio"],
		mediaConfig: null,
		myParticipantId: ids.myParticipantId,
		id: ids.id,
		tenantId: given.tenantId ?? null,
		subject: null,
		incomingContext: {
			"@odata.type": "#microsoft.graph.incomingContext",
			sourceParticipantId: ids.sourceParticipantId,
			observedParticipantId: incomingContext?.observedParticipantId ?? null,
			onBehalfOf: incomingContext?.onBehalfOf ?? null,
			transferor: incomingContext?.transferor ?? null,
		},
		callRoutes: callRoutes ?? [],
		...NULL_EXTRAS,
		chatInfo: given.chatInfo ?? null,
		meetingInfo: given.meetingInfo ?? null,
		...(applicationMetadata ? { applicationMetadata } : {}),
	};
}

/**
 * A participantInfo made from an invitationParticipantInfo (a call's target, an invitee, a joining caller):
 * a participant's `info` is declared participantInfo, so the invitation-only properties go and the type
 * is participantInfo's. Anything else (an identity, an endpointType) is kept.
 */
export const asParticipantInfo = (info: unknown): unknown => {
	if (info === null || typeof info !== "object" || Array.isArray(info)) return info;
	const {
		"@odata.type": _t,
		replacesCallId: _r,
		hidden: _h,
		removeFromDefaultAudioRoutingGroup: _g,
		...rest
	} = info as Record<string, unknown>;
	return { "@odata.type": "#microsoft.graph.participantInfo", ...rest };
};

/** A participant of the call, from its participantInfo. */
export const participant = (id: string, info: unknown) => ({
	"@odata.type": "#microsoft.graph.participant",
	id,
	info,
	isMuted: false,
	isInLobby: false,
	mediaStreams: [],
	metadata: null,
	recordingInfo: null,
});
