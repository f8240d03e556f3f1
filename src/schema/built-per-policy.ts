import type { CallbackPolicy } from "./stub-config";

/**
 * A schema that depends on the deployment's callback rule, built once per policy (the parsed settings
 * object: one per isolate) instead of on every request.
 */
export function builtPerPolicy<S>(build: (policy: CallbackPolicy) => S): (policy: CallbackPolicy) => S {
	const built = new WeakMap<CallbackPolicy, S>();
	return (policy) => {
		let schema = built.get(policy);
		if (schema === undefined) {
			schema = build(policy);
			built.set(policy, schema);
		}
		return schema;
	};
}
