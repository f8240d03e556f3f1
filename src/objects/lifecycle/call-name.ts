import type { CallRef } from "../call-results";

/**
 * The call an object stands for, from its own name (`["namespace","callId"]`, see callObjectName), so
 * that no caller can make an object register, forget or report itself as another call.
 */
export function callFromName(name: string | undefined): CallRef {
	try {
		const parsed: unknown = JSON.parse(name ?? "");
		if (Array.isArray(parsed) && parsed.length === 2) {
			const [namespace, callId] = parsed as unknown[];
			if (typeof namespace === "string" && typeof callId === "string") return { namespace, callId };
		}
	} catch {
		// fall through: not a name this Worker gives
	}
	throw new Error("a call object must be reached by name (callObject(env, namespace, callId))");
}
