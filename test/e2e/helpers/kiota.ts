import {
	type AccessTokenProvider,
	AllowedHostsValidator,
	BaseBearerTokenAuthenticationProvider,
	HttpMethod,
	type Parsable,
	type ParseNode,
	RequestInformation,
} from "@microsoft/kiota-abstractions";
import { FetchRequestAdapter } from "@microsoft/kiota-http-fetchlibrary";
import { JsonParseNodeFactory, JsonSerializationWriterFactory } from "@microsoft/kiota-serialization-json";

/** A token provider as the Kiota-based Graph SDKs have them: a token only for https:// URLs of allowed hosts. */
class StaticTokenProvider implements AccessTokenProvider {
	private readonly validator: AllowedHostsValidator;
	constructor(
		private readonly token: string,
		allowedHosts: string[],
	) {
		this.validator = new AllowedHostsValidator(new Set(allowedHosts));
	}

	async getAuthorizationToken(url?: string): Promise<string> {
		if (!url?.startsWith("https://") || !this.validator.isUrlHostValid(url)) return "";
		return this.token;
	}

	getAllowedHostsValidator(): AllowedHostsValidator {
		return this.validator;
	}
}

export interface CommsOperation extends Parsable {
	id?: string | null;
	status?: string | null;
	clientContext?: string | null;
	odataType?: string | null;
}

/** What a generated Kiota model's deserializer does for commsOperation's own properties. */
const commsOperationFactory =
	(_node: ParseNode | undefined) =>
	(operation: Partial<CommsOperation> = {}) => ({
		"@odata.type": (node: ParseNode) => {
			operation.odataType = node.getStringValue();
		},
		id: (node: ParseNode) => {
			operation.id = node.getStringValue();
		},
		status: (node: ParseNode) => {
			operation.status = node.getStringValue();
		},
		clientContext: (node: ParseNode) => {
			operation.clientContext = node.getStringValue();
		},
	});

export function kiotaAdapter(baseUrl: string, token: string, allowedHosts: string[]) {
	const adapter = new FetchRequestAdapter(
		new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(token, allowedHosts)),
		new JsonParseNodeFactory(),
		new JsonSerializationWriterFactory(),
	);
	adapter.baseUrl = baseUrl;
	return adapter;
}

/** POST …/calls/{callId}/operations through a Kiota request adapter, parsed into a commsOperation. */
export async function kiotaCreate(adapter: FetchRequestAdapter, callId: string, body: Record<string, unknown>) {
	const request = new RequestInformation(HttpMethod.POST, "{+baseurl}/communications/calls/{callId}/operations", {
		baseurl: adapter.baseUrl,
		callId,
	});
	request.headers.tryAdd("Accept", "application/json");
	request.headers.tryAdd("Content-Type", "application/json");
	request.content = new TextEncoder().encode(JSON.stringify(body)).buffer;
	return adapter.send<CommsOperation>(request, commsOperationFactory, undefined);
}
