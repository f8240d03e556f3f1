// Reads one Microsoft Graph reference page (markdown) into its examples: the ```http request blocks
// (`"blockType": "request"`), the response blocks (`"blockType": "response"`) and the notification
// examples (a commsNotifications body), in page order. Pure: no files, no git.

import type { Json } from "../../test/conformance/corpus.ts";

export type { Json };

export type DocRequest = { method: string; url: string; headers: Record<string, string>; body: Json | undefined };
export type DocResponse = {
	status: number;
	headers: Record<string, string>;
	body: Json | undefined;
	/** The annotation's `@odata.type` (the type the docs' own checker expects), if any. */
	annotatedType?: string;
	truncated: boolean;
};
export type PageBlock =
	| { kind: "request"; name: string; heading: string; request: DocRequest; notes: string[] }
	| { kind: "response"; heading: string; response: DocResponse; notes: string[] }
	| { kind: "notification"; heading: string; body: Json; notes: string[] };

const FENCE = /^\s*```\s*([\w-]*)\s*$/;
const HEADING = /^#{2,6}\s+(.*?)\s*$/;

/** JSON as the docs write it; trailing commas and `//` comments (seen in the docs) are forgiven and noted. */
export function lenientJson(text: string, notes: string[]): Json | undefined {
	if (text.trim() === "") return undefined;
	try {
		return JSON.parse(text) as Json;
	} catch {
		const fixed = text.replace(/^\s*\/\/.*$/gm, "").replace(/,(\s*[}\]])/g, "$1");
		try {
			const parsed = JSON.parse(fixed) as Json;
			notes.push("the documented JSON is not valid JSON (trailing commas or comments), read leniently");
			return parsed;
		} catch (error) {
			notes.push(`the documented JSON cannot be read: ${(error as Error).message}`);
			return undefined;
		}
	}
}

/** Splits an HTTP message block into its first line, headers and body. */
function splitMessage(text: string) {
	const lines = text.replace(/\r/g, "").split("\n");
	while (lines.length > 0 && lines[0]?.trim() === "") lines.shift();
	const first = (lines.shift() ?? "").trim();
	const headers: Record<string, string> = {};
	while (lines.length > 0 && lines[0]?.trim() !== "" && !lines[0]?.trim().startsWith("{")) {
		const line = lines.shift() ?? "";
		const colon = line.indexOf(":");
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { first, headers, body: lines.join("\n") };
}

function annotationOf(comment: string): Record<string, unknown> | undefined {
	const inner = comment.replace(/^<!--/, "").replace(/-->$/, "").trim();
	if (!inner.startsWith("{")) return undefined;
	try {
		return JSON.parse(inner.replace(/,(\s*[}\]])/g, "$1")) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

const isNotification = (body: Json | undefined) =>
	typeof body === "object" &&
	body !== null &&
	!Array.isArray(body) &&
	(body["@odata.type"] === "#microsoft.graph.commsNotifications" ||
		(Array.isArray(body.value) &&
			body.value.some((item) => typeof item === "object" && item !== null && "changeType" in item)));

export function readPage(markdown: string): PageBlock[] {
	const blocks: PageBlock[] = [];
	const lines = markdown.replace(/\r/g, "").split("\n");
	let heading = "";
	let annotation: Record<string, unknown> | undefined;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i] ?? "";
		const title = HEADING.exec(line);
		if (title) heading = title[1] ?? "";
		if (line.trim().startsWith("<!--")) {
			let comment = line.trim();
			while (!comment.endsWith("-->") && i + 1 < lines.length) comment += `\n${(lines[++i] ?? "").trim()}`;
			annotation = annotationOf(comment) ?? annotation;
			continue;
		}
		const fence = FENCE.exec(line);
		if (!fence) continue;
		const content: string[] = [];
		while (i + 1 < lines.length && !FENCE.test(lines[i + 1] ?? "")) content.push(lines[++i] ?? "");
		i++; // the closing fence
		const text = content.join("\n");
		const blockType = annotation?.blockType;
		const annotatedType = typeof annotation?.["@odata.type"] === "string" ? annotation["@odata.type"] : undefined;
		const truncated = annotation?.truncated === true;
		const name = typeof annotation?.name === "string" ? annotation.name : "";
		annotation = undefined;
		const notes: string[] = [];
		if (blockType === "ignored") continue;
		if (blockType === "request") {
			const message = splitMessage(text);
			const [method = "", url = ""] = message.first.split(/\s+/);
			blocks.push({
				kind: "request",
				name,
				heading,
				request: {
					method: method.toUpperCase(),
					url,
					headers: message.headers,
					body: lenientJson(message.body, notes),
				},
				notes,
			});
		} else if (blockType === "response") {
			const message = splitMessage(text);
			const status = Number(/HTTP\/[\d.]+\s+(\d{3})/.exec(message.first)?.[1] ?? Number.NaN);
			blocks.push({
				kind: "response",
				heading,
				response: {
					status,
					headers: message.headers,
					body: lenientJson(message.body, notes),
					...(annotatedType ? { annotatedType } : {}),
					truncated,
				},
				notes,
			});
		} else if (fence[1] === "json" || blockType === "example") {
			const body = lenientJson(text, notes);
			if (body !== undefined && isNotification(body)) blocks.push({ kind: "notification", heading, body, notes });
		}
	}
	return blocks;
}
