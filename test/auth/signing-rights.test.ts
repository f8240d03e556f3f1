import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { callObject } from "../../src/calls/call-object";
import type { CallOperations } from "../../src/objects/call-operations";
import { deliverDue } from "../../src/objects/notifications/delivery";
import { notificationDelivery } from "../../src/objects/notifications/delivery-settings";
import type { StubConfig } from "../../src/schema/stub-config";
import { parseSettings } from "../../src/settings/parse-settings";
import { type GraphErrorBody, ORIGIN, operationsUrl, uniqueCallId } from "../helpers/graph";
import { failFirst, receivedAt, receiverUrl } from "../simulation/helpers";
import { sendWith } from "./helpers";

// In AUTH_MODE tokens a tester may have the stub sign notifications only for the bots (and tenant) their
// STUB_TOKENS entry names: never a bearer another team's bot would accept. A plain name grants none.

const APP_X = "aaaaaaaa-0000-4000-8000-000000000001";
const APP_Y = "bbbbbbbb-0000-4000-8000-000000000002";
const TENANT = "cccccccc-0000-4000-8000-000000000003";
const ZEROS = "00000000-0000-0000-0000-000000000000";
const ALICE = "alice-token-with-rights-to-x";
const BOB = "bob-token-with-rights-to-y-1";
const CAROL = "carol-token-with-a-plain-name";

const tokensMode = (grants: Record<string, unknown>) => ({ AUTH_MODE: "tokens", STUB_TOKENS: JSON.stringify(grants) });
const TOKENS = tokensMode({
	[ALICE]: { name: "alice", botAppIds: [APP_X], tenantId: TENANT },
	[BOB]: { name: "bob", botAppIds: [APP_Y] },
	[CAROL]: "carol",
});
/** The same deployment after the operator took alice's rights away (a plain name now). */
const REVOKED = tokensMode({ [ALICE]: "alice", [BOB]: { name: "bob", botAppIds: [APP_Y] }, [CAROL]: "carol" });

const configUrls = () => [`${ORIGIN}/_stub/config`, `${ORIGIN}/_stub/calls/${uniqueCallId()}/config`];

async function refusal(response: Response) {
	expect(response.status).toBe(403);
	return ((await response.json()) as GraphErrorBody).error;
}

async function stubKeys() {
	const keys = await (await exports.default.fetch(`${ORIGIN}/_stub/.well-known/keys`)).json();
	return createLocalJWKSet(keys as JSONWebKeySet);
}

describe("whom notifications are signed for, in AUTH_MODE tokens", () => {
	it("refuses tester A (rights to app X) a configuration for app Y: 403, naming the apps A may sign for", async () => {
		for (const url of configUrls()) {
			const error = await refusal(await sendWith(TOKENS, "PUT", url, { token: ALICE, body: { botAppId: APP_Y } }));
			expect(error.code).toBe("Forbidden");
			expect(error.message).toContain(APP_X);
			expect(error.details?.map((detail) => detail.target)).toEqual(["botAppId"]);
			const tenant = await refusal(await sendWith(TOKENS, "PUT", url, { token: BOB, body: { tenantId: TENANT } }));
			expect(tenant.details?.map((detail) => detail.target)).toEqual(["tenantId"]);
		}
		// Nothing was stored: the namespace default is still unset.
		const read = await sendWith(TOKENS, "GET", `${ORIGIN}/_stub/config`, { token: ALICE });
		expect(await read.json()).toEqual({ config: null });
	});

	it("refuses a plain-name token any real app or tenant; it signs only for the all-zeros ids", async () => {
		for (const url of configUrls()) {
			for (const body of [{ botAppId: APP_X }, { botAppId: APP_Y, tenantId: TENANT }]) {
				const error = await refusal(await sendWith(TOKENS, "PUT", url, { token: CAROL, body }));
				expect(error.message).toContain("plain name");
				expect(error.details?.map((detail) => detail.target)).toEqual(Object.keys(body));
			}
		}
		const zeros = await sendWith(TOKENS, "PUT", `${ORIGIN}/_stub/config`, {
			token: CAROL,
			body: { botAppId: ZEROS, tenantId: ZEROS },
		});
		expect(zeros.status).toBe(200);
		const none = await sendWith(TOKENS, "PUT", `${ORIGIN}/_stub/config`, { token: CAROL, body: {} });
		expect(await none.json()).toEqual({ config: {} });
	});

	it("allows the token's own app (filled in when it is the only one): the bearer's aud and tid are right", async () => {
		const explicit = await sendWith(TOKENS, "PUT", `${ORIGIN}/_stub/config`, {
			token: ALICE,
			body: { botAppId: APP_X.toUpperCase(), tenantId: TENANT },
		});
		expect(explicit.status).toBe(200);

		const callId = uniqueCallId("signed");
		const hook = `/tokens-${callId}`;
		const put = await sendWith(TOKENS, "PUT", `${ORIGIN}/_stub/calls/${callId}/config`, {
			token: ALICE,
			body: {
				callbackUri: `${receiverUrl()}${hook}`,
				progression: { default: [{ status: "Completed", afterMs: 1_000_000 }] },
			},
		});
		expect(put.status).toBe(200);
		expect(((await put.json()) as { effective: StubConfig }).effective).toMatchObject({
			botAppId: APP_X,
			tenantId: TENANT,
		});
		expect((await sendWith(TOKENS, "POST", operationsUrl(callId), { token: ALICE, body: {} })).status).toBe(201);
		const object = callObject(env, "tokens:alice", callId);
		await fastForward(object);
		const [received] = await receivedAt(hook);
		const bearer = received?.headers.authorization?.slice("Bearer ".length) ?? "";
		const { payload } = await jwtVerify(bearer, await stubKeys(), { audience: APP_X });
		expect(payload.tid).toBe(TENANT);

		// Signed under these settings at delivery time too.
		const config = (await object.getConfig()).effective ?? undefined;
		const signed = await runInDurableObject(object, (_, state) =>
			notificationDelivery(withVars(TOKENS), state.storage.sql, config, "s").bearer(),
		);
		expect(decodeJwt(signed)).toMatchObject({ aud: APP_X, tid: TENANT });
	});

	it("fails closed at delivery when the rights went away after configuring: not signed, not sent, the journal says why", async () => {
		const callId = uniqueCallId("revoked");
		const hook = `/revoked-${callId}`;
		await failFirst(hook, 1, 503);
		const put = await sendWith(TOKENS, "PUT", `${ORIGIN}/_stub/calls/${callId}/config`, {
			token: ALICE,
			body: {
				callbackUri: `${receiverUrl()}${hook}`,
				progression: { default: [{ status: "Completed", afterMs: 1_000_000 }] },
			},
		});
		expect(put.status).toBe(200);
		expect((await sendWith(TOKENS, "POST", operationsUrl(callId), { token: ALICE, body: {} })).status).toBe(201);
		const object = callObject(env, "tokens:alice", callId);
		await fastForward(object); // the first attempt is answered 503: the notification waits for a retry
		expect(await receivedAt(hook)).toHaveLength(1);

		const config = (await object.getConfig()).effective ?? undefined;
		expect(config?.botAppId).toBe(APP_X);
		await runInDurableObject(object, async (_, state) => {
			state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'");
			const delivery = notificationDelivery(withVars(REVOKED), state.storage.sql, config, "s");
			await deliverDue(state.storage.sql, delivery, () => true, 1);
		});
		expect(await receivedAt(hook)).toHaveLength(1);
		const journal = await sendWith(REVOKED, "GET", `${ORIGIN}/_stub/calls/${callId}/notifications`, { token: ALICE });
		const [first] = ((await journal.json()) as { value: { attempts: { status: number | null; error: string }[] }[] })
			.value;
		expect(first?.attempts.map((attempt) => attempt.status)).toEqual([503, null]);
		expect(first?.attempts[1]?.error).toMatch(/^NotSigned: .*not sent.*botAppId: .*plain name/);
	});
});

describe("STUB_TOKENS with signing rights is parsed once and fails closed", () => {
	const parse = (grants: Record<string, unknown>) => parseSettings({ ...env, ...tokensMode(grants) });

	it("reads names and grants; a plain name grants nothing", () => {
		const parsed = parse({ [ALICE]: { name: "alice", botAppIds: [APP_X.toUpperCase(), APP_X] }, [CAROL]: "carol" });
		expect(parsed.ok && [...parsed.settings.tokens]).toEqual([
			[ALICE, "alice"],
			[CAROL, "carol"],
		]);
		expect(parsed.ok && Object.fromEntries(parsed.settings.signingGrants)).toEqual({
			alice: { botAppIds: [APP_X], tenantId: undefined },
			carol: { botAppIds: [], tenantId: undefined },
		});
	});

	it.each([
		["an unknown key (a typo grants nothing silently)", { [ALICE]: { name: "alice", botAppId: APP_X } }],
		["no name", { [ALICE]: { botAppIds: [APP_X] } }],
		["botAppIds not an array", { [ALICE]: { name: "alice", botAppIds: APP_X } }],
		["an app id that is not a GUID", { [ALICE]: { name: "alice", botAppIds: ["my-bot"] } }],
		["too many app ids", { [ALICE]: { name: "alice", botAppIds: Array(51).fill(APP_X) } }],
		["a tenantId that is not a GUID", { [ALICE]: { name: "alice", tenantId: 7 } }],
		["an array entry", { [ALICE]: ["alice"] }],
		[
			"two tokens of one namespace granting differently",
			{ [ALICE]: { name: "team", botAppIds: [APP_X] }, [BOB]: "team" },
		],
	])("refuses %s, naming STUB_TOKENS and quoting no token", (_, grants) => {
		const parsed = parse(grants);
		expect(parsed.ok).toBe(false);
		const message = parsed.ok ? "" : parsed.message;
		expect(message).toContain("STUB_TOKENS");
		expect(message).not.toContain(ALICE);
	});

	it("answers every route with 500 on a malformed grant, before looking at any token", async () => {
		const response = await sendWith(
			tokensMode({ [ALICE]: { name: "alice", botAppIds: "x" } }),
			"GET",
			`${ORIGIN}/_stub/config`,
			{
				token: ALICE,
			},
		);
		expect(response.status).toBe(500);
	});
});

/** Makes the call's scheduled transitions and pending retries due now, then runs its alarm once. */
async function fastForward(object: DurableObjectStub<CallOperations>) {
	await runInDurableObject(object, (_, state) => {
		state.storage.sql.exec("UPDATE transitions SET due_at = 0");
		state.storage.sql.exec("UPDATE outbox SET next_attempt_at = 0 WHERE state = 'pending'");
	});
	await runDurableObjectAlarm(object);
}

/** The test bindings with some settings changed: a fresh object, so parsed anew. */
const withVars = (vars: Record<string, string>) => ({ ...env, ...vars }) as Env;
