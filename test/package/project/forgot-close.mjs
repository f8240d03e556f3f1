// Starts a stub and never closes it: this process must still exit on its own, and the stub with it.
import { startStub } from "graph-comms-stub";

const stub = await startStub();
console.log(JSON.stringify({ url: stub.url, stateDir: stub.stateDir }));
