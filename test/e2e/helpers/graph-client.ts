import { Client, type Context, HTTPMessageHandler, type Middleware } from "@microsoft/microsoft-graph-client";

/**
 * Sends `Authorization: Bearer <token>` on every request. The SDK's own AuthenticationHandler adds
 * it only to https:// Graph hosts or customHosts, so a plain-http local stub needs this instead.
 */
class StaticBearer implements Middleware {
	private next: Middleware | undefined;
	constructor(private readonly token: string) {}

	async execute(context: Context): Promise<void> {
		const headers = new Headers(context.options?.headers);
		headers.set("Authorization", `Bearer ${this.token}`);
		context.options = { ...context.options, headers: Object.fromEntries(headers) };
		await this.next?.execute(context);
	}

	setNext(next: Middleware): void {
		this.next = next;
	}
}

/** The official Graph JS client, pointed at the stub. */
export const graphClient = (base: string, token = "sdk-token", version = "beta") =>
	Client.initWithMiddleware({
		baseUrl: `${base}/`,
		defaultVersion: version,
		middleware: [new StaticBearer(token), new HTTPMessageHandler()],
	});
