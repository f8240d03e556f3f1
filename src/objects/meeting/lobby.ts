import type { LobbySettings } from "./meeting-store";

// Who waits in a meeting's lobby (*inferred*: Graph documents the scopes, not how each identity kind
// falls under them). A meeting without a lobby, or whose bypass is `everyone`, lets everyone in.
// Users get in under every other scope but `organizer` (where only the organizer does); guests, phone
// callers and applications wait — a bot too, as users report a bot joining a meeting with a lobby got
// in only with bypass `everyone`.

export function waitsInLobby(
	lobby: LobbySettings,
	identity: Record<string, unknown>,
	organizer: Record<string, unknown> | null,
): boolean {
	if (!lobby.enabled || lobby.bypass === "everyone") return false;
	const user = identity.user as { id?: unknown } | undefined;
	if (!user) return true;
	if (lobby.bypass !== "organizer") return false;
	const organizerUser = organizer?.user as { id?: unknown } | undefined;
	return user.id === undefined || user.id !== organizerUser?.id;
}
