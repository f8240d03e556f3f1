// The meeting's own row: its settings as JSON, the roster's sequence number and the next sourceId.

export type LobbySettings = { enabled: boolean; bypass: string; timeoutMs: number };

export type MeetingSettings = {
	id: string;
	threadId: string;
	joinMeetingId: string | null;
	passcode: string | null;
	subject: string | null;
	organizer: Record<string, unknown> | null;
	tenantId: string | null;
	lobby: LobbySettings;
	maxParticipants: number;
	maxCalls: number;
	/** `tester`: POST /_stub/meetings; `join`: a bot's join made it (*inferred*). */
	createdBy: "tester" | "join";
	createdDateTime: string;
};

export const DEFAULT_MAX_PARTICIPANTS = 250;
export const DEFAULT_MAX_CALLS = 20;
/** How long a bot waits in the lobby before it is removed, unless the meeting says otherwise (15 min). */
export const DEFAULT_LOBBY_TIMEOUT_MS = 900_000;

/** A new meeting's settings: the defaults (no joinMeetingId, passcode or lobby; the largest bounds), then `given`. */
export function newMeetingSettings(
	given: Pick<MeetingSettings, "id" | "threadId" | "createdBy"> & Partial<MeetingSettings>,
): MeetingSettings {
	return {
		joinMeetingId: null,
		passcode: null,
		subject: null,
		organizer: null,
		tenantId: null,
		lobby: { enabled: false, bypass: "organization", timeoutMs: DEFAULT_LOBBY_TIMEOUT_MS },
		maxParticipants: DEFAULT_MAX_PARTICIPANTS,
		maxCalls: DEFAULT_MAX_CALLS,
		createdDateTime: new Date().toISOString(),
		...given,
	};
}

type Row = { body: string; roster_seq: number; next_source_id: number };

export class MeetingStore {
	constructor(private readonly sql: SqlStorage) {}

	settings(): MeetingSettings | undefined {
		const row = this.sql.exec<Row>("SELECT body FROM meeting").toArray()[0];
		return row ? (JSON.parse(row.body) as MeetingSettings) : undefined;
	}

	/** Stores a new meeting; false if this object already holds one. */
	insert(settings: MeetingSettings): boolean {
		return (
			this.sql.exec(
				"INSERT INTO meeting (only_row, body, created_at) VALUES (1, ?, ?) ON CONFLICT (only_row) DO NOTHING",
				JSON.stringify(settings),
				settings.createdDateTime,
			).rowsWritten > 0
		);
	}

	rosterSeq(): number {
		return this.sql.exec<Row>("SELECT roster_seq FROM meeting").toArray()[0]?.roster_seq ?? 0;
	}

	/** The next roster sequence number: strictly increasing over the meeting's life. */
	nextRosterSeq(): number {
		return this.sql.exec<Row>("UPDATE meeting SET roster_seq = roster_seq + 1 RETURNING roster_seq").one().roster_seq;
	}

	/** A sourceId no stream of this meeting has had. */
	nextSourceId(): string {
		return String(
			this.sql.exec<Row>("UPDATE meeting SET next_source_id = next_source_id + 1 RETURNING next_source_id").one()
				.next_source_id - 1,
		);
	}
}
