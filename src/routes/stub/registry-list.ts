import { decodeSkipToken, encodeSkipToken } from "../../calls/skip-token";
import type { StubRequest } from "../../http/stub-request";

// A namespace's list kept by its registry (/_stub/calls, /_stub/meetings), paged newest first: a
// `$skiptoken` bound to the list names the sequence number the next page starts below.

/** Where a page starts: below the skip token's sequence number, or at the newest. */
export const pageStart = async (listKey: string, skipToken: string | undefined) =>
	skipToken === undefined ? Number.MAX_SAFE_INTEGER : await decodeSkipToken(listKey, skipToken);

/** The page's answer: its `value`, the rows the registry read, and `@odata.nextLink` while more remain. */
export async function listPage(
	request: StubRequest,
	list: { key: string; path: string; top: number },
	page: { more: boolean; rowsRead: number; lastSeq: number | undefined },
	value: unknown[],
): Promise<Response> {
	const headers = { "x-stub-rows-read": String(page.rowsRead) };
	if (!page.more || page.lastSeq === undefined) return Response.json({ value }, { headers });
	const token = await encodeSkipToken(list.key, page.lastSeq);
	const nextLink = `${request.meta.origin}${list.path}?$top=${list.top}&$skiptoken=${token}`;
	return Response.json({ value, "@odata.nextLink": nextLink }, { headers });
}
