import { describe, expect, it } from "vitest";
import { signingRefusals, signingRights } from "../../src/auth/notification-identity";
import { type GraphErrorBody, ORIGIN, uniqueCallId } from "../helpers/graph";
import { sendWith, settingsWith } from "./helpers";

// `any` and `optional` prove nobody: served locally (one machine's tester) they sign for whatever bot the
// configuration names; beyond this machine (a deployment, `npm start -- --host 0.0.0.0`) anyone who can
// reach the stub could have a bearer signed for another team's bot, so only the all-zeros ids are signed.

const APP_X = "aaaaaaaa-0000-4000-8000-000000000001";
const TENANT = "cccccccc-0000-4000-8000-000000000003";
const ZEROS = "00000000-0000-0000-0000-000000000000";
const MODES = ["any", "optional"] as const;

const configUrls = () => [`${ORIGIN}/_stub/config`, `${ORIGIN}/_stub/calls/${uniqueCallId()}/config`];

describe("signing rights in AUTH_MODE any and optional", () => {
	it.each(MODES)(
		"%s, deployed: a configuration naming a bot or tenant is 403; the all-zeros ids are allowed",
		async (mode) => {
			const deployed = { AUTH_MODE: mode, SERVED_FROM: "" };
			const token = `open-${uniqueCallId()}`;
			for (const url of configUrls()) {
				const refused = await sendWith(deployed, "PUT", url, { token, body: { botAppId: APP_X, tenantId: TENANT } });
				expect(refused.status).toBe(403);
				const { error } = (await refused.json()) as GraphErrorBody;
				expect(error.code).toBe("Forbidden");
				expect(error.details?.map((detail) => detail.target)).toEqual(["botAppId", "tenantId"]);
				const zeros = await sendWith(deployed, "PUT", url, { token, body: { botAppId: ZEROS, tenantId: ZEROS } });
				expect(zeros.status).toBe(200);
			}
			// And before each signature: a configuration stored while served locally is not signed once deployed.
			expect(signingRefusals(signingRights(settingsWith(deployed), "token:x"), { botAppId: APP_X })).toHaveLength(1);
		},
	);

	it.each(MODES)("%s, served locally: any bot and tenant", async (mode) => {
		const local = { AUTH_MODE: mode, SERVED_FROM: "local" };
		const token = `open-${uniqueCallId()}`;
		for (const url of configUrls()) {
			const response = await sendWith(local, "PUT", url, { token, body: { botAppId: APP_X, tenantId: TENANT } });
			expect(response.status).toBe(200);
		}
		expect(signingRefusals(signingRights(settingsWith(local), "token:x"), { botAppId: APP_X })).toEqual([]);
	});
});
