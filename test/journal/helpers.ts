import { expect } from "vitest";
import type { JournalEntry } from "../../src/objects/requests/journal-entry";
import { json, ORIGIN, send } from "../helpers/graph";

/** An entry as the reads answer it (the Worker's own type); `callId` in the namespace-wide read. */
export type Entry = JournalEntry & { count?: boolean; callId?: string };
export type Page = { value: Entry[]; "@odata.nextLink"?: string };

export const requestsUrl = (callId: string, query = "") =>
	`${ORIGIN}/_stub/calls/${encodeURIComponent(callId)}/requests${query ? `?${query}` : ""}`;

/** One page of the call's journal (expects a 200). */
export async function journalPage(token: string, callId: string, query = ""): Promise<Page> {
	const response = await send("GET", requestsUrl(callId, query), undefined, { token });
	expect(response.status, await response.clone().text()).toBe(200);
	return (await json(response)) as Page;
}

export const routesOf = (page: Page) => page.value.map((entry) => entry.route);

/** Every page, following @odata.nextLink. */
export async function allPages(token: string, url: string): Promise<Entry[]> {
	const entries: Entry[] = [];
	for (let next: string | undefined = url; next; ) {
		const response = await send("GET", next, undefined, { token });
		expect(response.status, await response.clone().text()).toBe(200);
		const page = (await json(response)) as Page;
		entries.push(...page.value);
		next = page["@odata.nextLink"];
	}
	return entries;
}
