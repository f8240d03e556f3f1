// Values test/receiver/global-setup.ts provides to the tests (vitest's provide/inject).
declare module "vitest" {
	export interface ProvidedContext {
		receiverUrl: string;
		keyServerUrl: string;
	}
}

export {};
