import { version } from "../../../package.json";

/** GET /_stub/health: no auth, for load balancers and start-up scripts. */
export const health = () => Response.json({ status: "ok", version });
