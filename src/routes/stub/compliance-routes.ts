import * as v from "valibot";
import { Participant } from "../../openapi/response-schemas";
import { complianceCallSchema } from "../../schema/compliance-call";
import type { Route, RouteDoc } from "../route";
import { getComplianceCall, hangUpComplianceCall, startComplianceCall } from "./compliance-calls";

// The compliance-recording controls' rows of the one route table (src/routes/route-table.ts).

const DOC_POLICY = { local: true, callbackHosts: [] };

const ComplianceView = v.looseObject({
	id: v.string(),
	kind: v.picklist(["oneToOne", "meeting"]),
	state: v.picklist(["establishing", "established", "terminated"]),
	endedReason: v.nullable(v.string()),
	observedParticipantId: v.string(),
	recorder: v.strictObject({
		callId: v.string(),
		state: v.picklist(["ringing", "joined", "left"]),
		recordingStatus: v.nullable(v.string()),
	}),
	participants: v.array(Participant),
	events: v.array(v.strictObject({ at: v.string(), event: v.string() })),
});

const doc = (summary: string, responses: RouteDoc["responses"], body?: RouteDoc["body"]): RouteDoc => ({
	summary,
	tag: "Stub: controls",
	responses,
	...(body ? { body } : {}),
});

const COMPLIANCE = "/_stub/compliance-calls/:meetingId";

export const COMPLIANCE_ROUTES: readonly Route[] = [
	{
		method: "POST",
		path: "/_stub/compliance-calls",
		handler: startComplianceCall,
		doc: doc(
			"Stub: a call a recording policy says must be recorded; its recording bot is rung",
			{ 201: { description: "The observed call, and the recorder's call id.", json: ComplianceView } },
			{ json: complianceCallSchema(DOC_POLICY), required: true, name: "StubComplianceCallBody" },
		),
	},
	{
		method: "GET",
		path: COMPLIANCE,
		handler: getComplianceCall,
		doc: doc("Stub: the observed call, its recorder and what the policy did", {
			200: { description: "The observed call.", json: ComplianceView },
		}),
	},
	{
		method: "POST",
		path: `${COMPLIANCE}/hangup`,
		handler: hangUpComplianceCall,
		doc: doc("Stub: the observed call ends; the recorder's call ends with it", {
			200: { description: "The observed call, ended.", json: ComplianceView },
		}),
	},
];
