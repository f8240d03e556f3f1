// The `workerd` package's main module (CommonJS): the path of the workerd binary for this platform, which
// Node's ESM import hands out as `default` or as the module's own `default` property.
declare module "workerd" {
	const binaryPath: string | { default: string };
	export default binaryPath;
}
