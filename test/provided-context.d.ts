// Values test/receiver/global-setup.ts and test/e2e/helpers/global-setup.ts provide to the tests (vitest's provide/inject).
declare module "vitest" {
	export interface ProvidedContext {
		receiverUrl: string;
		keyServerUrl: string;
		/** The Worker bundle the e2e tests serve, built once per run. */
		stubBundle: string;
	}
}

export {};
