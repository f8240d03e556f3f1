import type { RouterType } from "itty-router";
import type { RouterArgs, StubRequest } from "../http/stub-request";
import { notFound } from "./fallbacks";
import type { Route } from "./route";

// Routes Graph documents that the stub does not serve. Without a row of their own the name would be read
// as an id (`…/calls/{callId}`, `…/participants/{participantId}`) and answered 405 or 8522; they answer as
// any unknown path does. A name the route table comes to serve (e.g. muteAll, once built) is skipped here
// by itself: its own row wins.

const CALL_COLLECTIONS = ["/:version/communications/calls", "/:version/app/calls"];

/** Under a calls collection; each also under its namespace-qualified name (`microsoft.graph.{name}`). */
const UNSERVED_ACTIONS = [
	"logTeleconferenceDeviceQuality", // v1.0, bound to the calls collection; returns nothing
];

const qualified = (action: string) => {
	const slash = action.lastIndexOf("/");
	return `${action.slice(0, slash + 1)}microsoft.graph.${action.slice(slash + 1)}`;
};

export const UNSERVED_PATHS: readonly string[] = CALL_COLLECTIONS.flatMap((calls) =>
	UNSERVED_ACTIONS.flatMap((action) => [action, qualified(action)]).map((action) => `${calls}/${action}`),
);

/** Registers the unserved paths (before the route table, whose id patterns would otherwise take them). */
export function registerUnserved(router: RouterType<StubRequest, RouterArgs>, served: readonly Route[]) {
	const servedPaths = new Set(served.map((route) => route.path));
	for (const path of UNSERVED_PATHS) if (!servedPaths.has(path)) router.all(path, notFound);
}
