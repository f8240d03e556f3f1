// Starts a stub and waits to be killed (../run.ts SIGKILLs this process): the stub must not outlive it.
import { startStub } from "graph-comms-stub";

const stub = await startStub();
console.log(JSON.stringify({ url: stub.url, stateDir: stub.stateDir }));
setInterval(() => {}, 60_000);
