import * as v from "valibot";
import { callerNamespace, callObject } from "../../calls/call-object";
import { requestFacts } from "../../calls/request-facts";
import { GraphError } from "../../http/graph-error";
import { readBodyBytes, readJsonObject } from "../../http/read-json-object";
import type { StubRequest } from "../../http/stub-request";
import { pcmOfWav } from "../../objects/media/wav";
import { capText } from "../../objects/requests/journal-body";
import { ParticipantInfo } from "../../schema/call-parts";
import { stubCallPath } from "../../schema/path-params";
import { Key } from "../../schema/scalars";
import { PressedTone } from "../../schema/tone-names";
import { fieldIssue, invalid, parsedOrInvalid } from "../../schema/validation-error";
import { settingsOf } from "../../settings/settings";
import { callAnswer } from "./call-answer";
import { openRecordingKey } from "./recording-urls";

// Stub extensions: what the far side of an established call does (keys, people, audio), and the
// recordings a recordResponse made.

/** The largest audio a tester may supply for the next recording (about 30 s of 16 kHz 16-bit mono). */
export const MAX_RECORDING_UPLOAD_BYTES = 1_048_576;

const parse = <S extends v.GenericSchema>(schema: S, body: unknown) => parsedOrInvalid(schema, body, "request body");

export const TonesBody = v.strictObject({
	tones: v.pipe(
		v.array(PressedTone, "must be an array of tones (either spelling: `#` or `pound`)"),
		v.minLength(1, "must have at least 1 tone"),
		v.maxLength(32, "must have at most 32 tones"),
	),
	delayMs: v.optional(
		v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(0), v.maxValue(60_000)),
		0,
	),
});

/** POST /_stub/calls/{id}/tones: the caller presses keys. */
export async function pressTones(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const body = parse(TonesBody, await readJsonObject(request, settingsOf(env).maxBodyBytes));
	callAnswer(
		await callObject(env, namespace, callId).pressTones(
			body.tones,
			body.delayMs,
			requestFacts(request, "pressTones", 202),
		),
	);
	return new Response(null, { status: 202 });
}

export const RosterBody = v.strictObject({
	join: v.optional(v.pipe(v.array(ParticipantInfo, "must be an array of participantInfo"), v.maxLength(25)), []),
	leave: v.optional(v.pipe(v.array(Key, "must be an array of participant ids"), v.maxLength(25)), []),
});

/** POST /_stub/calls/{id}/roster: people join and leave the call. */
export async function changeRoster(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const body = parse(RosterBody, await readJsonObject(request, settingsOf(env).maxBodyBytes));
	callAnswer(await callObject(env, namespace, callId).changeRoster(body, requestFacts(request, "changeRoster", 202)));
	return new Response(null, { status: 202 });
}

/** PUT /_stub/calls/{id}/recording (audio/wav, 16 kHz mono 16-bit): what the next recording holds. */
export async function supplyRecording(request: StubRequest, env: Env) {
	const namespace = await callerNamespace(request, env);
	const { callId } = stubCallPath(request.params);
	const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase();
	if (type !== "audio/wav" && type !== "audio/x-wav")
		throw invalid("request body", [fieldIssue("Content-Type", "must be audio/wav")]);
	const bytes = await readBodyBytes(request, MAX_RECORDING_UPLOAD_BYTES);
	const wav = pcmOfWav(bytes);
	if ("error" in wav) throw invalid("request body", [fieldIssue("body", wav.error)]);
	const facts = requestFacts(request, "supplyRecording", 204, {
		body: capText(`<audio/wav, ${bytes.byteLength} bytes>`),
	});
	callAnswer(await callObject(env, namespace, callId).supplyRecordingAudio(wav.pcm, facts));
	return new Response(null, { status: 204 });
}

const unauthorized = () =>
	new GraphError(401, "InvalidAuthenticationToken", "The recording's access token is missing or wrong.");

/** GET /_stub/recordings/{key}: the WAV, only with `Authorization: Bearer <recordingAccessToken>`. */
export async function getRecording(request: StubRequest, env: Env) {
	const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization")?.trim() ?? "")?.[1];
	if (!token) throw unauthorized();
	// The key is checked before any call object is named: a key this deployment did not seal reaches none.
	const key = await openRecordingKey(env, request.params.key ?? "");
	if (!key) throw unauthorized();
	const wav = await callObject(env, key.namespace, key.callId).recording(
		key.id,
		token,
		requestFacts(request, "downloadRecording", 200, { source: "bot" }),
	);
	if (!wav) throw unauthorized();
	return new Response(wav, { headers: { "Content-Type": "audio/wav", "Content-Length": String(wav.byteLength) } });
}
