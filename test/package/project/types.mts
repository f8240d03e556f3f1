// Type-checked in the fresh project against the shipped dist/api.d.ts (../run.ts runs tsc on it).
import { type StartStubOptions, type Stub, startStub } from "graph-comms-stub";

const options: StartStubOptions = { port: 0, https: { dir: "tls" }, authMode: "optional", tokens: ["a", "b"] };
const stub: Stub = await startStub(options);
const url: string = stub.url;
const caFile: string | undefined = stub.caFile;
const headers: Record<string, string> = stub.headers("a");
const trust: () => void = stub.trustCa;
await stub.configure({ progression: {} }, "b");
await stub.reset();
await stub.close();
// @ts-expect-error the port is a number
await startStub({ port: "8787" });
console.log(url, caFile, headers, trust);
