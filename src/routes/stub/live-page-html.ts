export const LIVE_PAGE_HTML = "<!doctype html><title>graph-comms-stub</title>";
