import { LIVE_PAGE_HTML } from "./live-page-html";

/** GET /_stub/: the live page (public; everything it shows it fetches with the token the user pastes). */
export const livePage = () =>
	new Response(LIVE_PAGE_HTML, {
		headers: {
			"Content-Type": "text/html; charset=utf-8",
			"Content-Security-Policy":
				"default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:",
			"Cache-Control": "no-store",
		},
	});
