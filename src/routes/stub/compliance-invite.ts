import type { BotIdentity } from "../../objects/call/call-document";
import type { Participant } from "../../objects/meeting/people";
import type { IncomingCallBody } from "../../schema/call";

// The incoming call that rings a compliance-recording bot, as Graph's policy-based recording example
// shows it (call-answer, Example 3): the caller is the observed person, the target the recorder's
// applicationInstance, a tokenMeetingInfo and no chatInfo, incomingContext naming the observed participant,
// and applicationMetadata.botData with the invite reason and the policy. botData's inner values beyond the
// example's keys are *inferred*.

type Identity = NonNullable<IncomingCallBody["source"]>["identity"];

type Invite = {
	observed: Participant;
	/** The other person of a one-to-one call (botData.otherSideUser); undefined in a meeting. */
	otherSide: Participant | undefined;
	observedIsCaller: boolean;
	recorderParticipantId: string;
	token: string;
	tenantId: string | null;
	policyName: string;
	requestedModalities: IncomingCallBody["requestedModalities"];
};

const userOf = (participant: Participant) => {
	const identity = participant.info.identity as { user?: { id?: unknown } } | undefined;
	return typeof identity?.user?.id === "string" ? identity.user.id : null;
};

export function recorderInvite(invite: Invite, bot: BotIdentity): IncomingCallBody {
	const { observed, otherSide, tenantId } = invite;
	const method = (caller: boolean) => (caller ? "caller" : "callee");
	return {
		source: { ...observed.info, identity: observed.info.identity as Identity, id: observed.id },
		targets: [
			{
				"@odata.type": "#microsoft.graph.invitationParticipantInfo",
				identity: {
					"@odata.type": "#microsoft.graph.identitySet",
					applicationInstance: {
						"@odata.type": "#microsoft.graph.identity",
						id: bot.id,
						displayName: bot.displayName,
						identityProvider: "AAD",
					},
				},
				endpointType: "default",
				id: invite.recorderParticipantId,
				region: null,
				languageId: null,
			},
		],
		tenantId,
		requestedModalities: invite.requestedModalities ?? ["audio"],
		incomingContext: {
			"@odata.type": "#microsoft.graph.incomingContext",
			sourceParticipantId: observed.id,
			observedParticipantId: observed.id,
		},
		meetingInfo: { "@odata.type": "#microsoft.graph.tokenMeetingInfo", token: invite.token },
		applicationMetadata: {
			botData: {
				mediaHostedRegion: "USEA",
				user: { participationMethod: method(invite.observedIsCaller), clientLocation: "US" },
				...(otherSide
					? {
							otherSideUser: {
								id: userOf(otherSide),
								participantId: otherSide.id,
								tenantId,
								participationMethod: method(!invite.observedIsCaller),
								clientLocation: "US",
							},
						}
					: {}),
				inviteReasons: ["PolicyBasedRecording"],
				policyIdentifier: invite.policyName,
				pairedRecorders: [],
				otherRecorders: [],
			},
		},
	};
}
