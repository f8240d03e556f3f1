// The CommonJS entry (dist/api.cjs) and its declarations, for jest or mocha without ESM.
import stubPackage = require("graph-comms-stub");

const start: (options?: stubPackage.StartStubOptions) => Promise<stubPackage.Stub> = stubPackage.startStub;
console.log(typeof start);
