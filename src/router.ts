import { Router } from "itty-router";
import { withGraphHeaders } from "./http/graph-headers";
import { type RouterArgs, type StubRequest, withRequestMeta } from "./http/stub-request";
import { notFound } from "./routes/fallbacks";
import { journalRefused, refusedResponse } from "./routes/refused-journal";
import { registerRoutes } from "./routes/route";
import { ROUTES } from "./routes/route-table";
import { registerUnserved } from "./routes/unserved";
import { withSettings } from "./settings/settings";

/** The Worker's router: documented routes it does not serve, the one route table, then Graph's 404 for anything else. */
export const router = Router<StubRequest, RouterArgs>({
	before: [withRequestMeta, withSettings],
	catch: refusedResponse,
	finally: [journalRefused, withGraphHeaders],
});
registerUnserved(router, ROUTES);
registerRoutes(router, ROUTES);
router.all("*", notFound);
