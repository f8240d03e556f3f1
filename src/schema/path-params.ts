import * as v from "valibot";
import { badRequest } from "../http/graph-error";
import { type ApiVersion, isApiVersion } from "./api-version";
import { Key } from "./scalars";
import { parsedOrInvalid } from "./validation-error";

// itty-router hands over raw segments; a malformed escape (`%E0`) is a 400, never a thrown URIError.
const Decoded = v.pipe(
	v.string("is required"),
	v.rawTransform(({ dataset, addIssue, NEVER }) => {
		try {
			return decodeURIComponent(dataset.value);
		} catch {
			addIssue({ message: "is not a valid percent-encoded path segment" });
			return NEVER;
		}
	}),
);
const Segment = v.pipe(Decoded, Key);
/** An id Graph makes long (an onlineMeeting's base64 id): up to 1024 characters. */
const LongSegment = v.pipe(
	Decoded,
	v.check((input) => input.length > 0 && input.length <= 1024, "must be 1 to 1024 characters long"),
);

const CallPath = v.object({ callId: Segment });
const OperationPath = v.object({ callId: Segment, operationId: Segment });
const ParticipantPath = v.object({ callId: Segment, participantId: Segment });
const AudioRoutingGroupPath = v.object({ callId: Segment, groupId: Segment });
const ContentSharingSessionPath = v.object({ callId: Segment, sessionId: Segment });

const MeetingPath = v.object({ meetingId: Segment });
const OnlineMeetingsPath = v.object({ userId: v.optional(Segment), meetingId: v.optional(LongSegment) });
const CallRecordPath = v.object({ recordId: Segment });
const MeetingParticipantPath = v.object({ meetingId: Segment, participantId: Segment });

type Params = Record<string, string | undefined>;

export function apiVersion(params: Params): ApiVersion {
	const version = params.version ?? "";
	if (!isApiVersion(version)) throw badRequest(`Invalid version: ${version}`);
	return version;
}

const parsePath = <S extends v.GenericSchema>(schema: S, params: Params) => parsedOrInvalid(schema, params, "path");
/** A path under /{version}/: the version checked first, then the path's own parameters. */
const versioned =
	<S extends v.GenericSchema<unknown, object>>(schema: S) =>
	(params: Params) => ({ version: apiVersion(params), ...parsePath(schema, params) });

/** The callId of a /_stub/calls/{callId} path, which has no version. */
export const stubCallPath = (params: Params) => parsePath(CallPath, params);
export const callPath = versioned(CallPath);
export const operationPath = versioned(OperationPath);
export const participantPath = versioned(ParticipantPath);

/** /_stub/meetings/{meetingId}[/participants/{participantId}]: no version. */
export const meetingPath = (params: Params) => parsePath(MeetingPath, params);
export const meetingParticipantPath = (params: Params) => parsePath(MeetingParticipantPath, params);

export const audioRoutingGroupPath = versioned(AudioRoutingGroupPath);

/** …/users/{userId}/onlineMeetings[/{meetingId}], …/me/onlineMeetings[/{meetingId}], …/communications/onlineMeetings. */
export const onlineMeetingsPath = versioned(OnlineMeetingsPath);

/** …/communications/callRecords/{recordId}. */
export const callRecordPath = versioned(CallRecordPath);

export const contentSharingSessionPath = versioned(ContentSharingSessionPath);
