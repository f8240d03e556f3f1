// What a notification says, lifted out of its payload next to its delivery `state` for the tester
// (GET /_stub/calls/{id}/notifications, the live timeline): the call's state for a notification about
// the call, the operation's type and status for one about an operation; null where it says nothing.

export type NotificationFacts = {
	callState: string | null;
	operationType: string | null;
	operationStatus: string | null;
};

type Payload = { value?: { resourceData?: Record<string, unknown> }[] };

const text = (value: unknown) => (typeof value === "string" ? value : null);

export function notificationFacts(payload: unknown): NotificationFacts {
	const data = (payload as Payload | null)?.value?.[0]?.resourceData ?? {};
	const type = text(data["@odata.type"]);
	if (type === "#microsoft.graph.call")
		return { callState: text(data.state), operationType: null, operationStatus: null };
	const operationStatus = text(data.status); // a roster notification (an array of participants) has none
	const operationType = operationStatus === null ? null : (type ?? "#microsoft.graph.commsOperation");
	return { callState: null, operationType, operationStatus };
}
