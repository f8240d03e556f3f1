import type { StubConfig } from "../../schema/stub-config";

type SettingsRow = { own_config: string | null; inherited_config: string | null; scenario_id: string };

const parse = (json: string | null) => (json === null ? undefined : (JSON.parse(json) as StubConfig));

/**
 * A call's configuration: its own (set for this call) or else the namespace's default, which the
 * registry hands over when the call registers and pushes again when it changes. Cached in memory.
 */
export class CallSettings {
	own: StubConfig | undefined;
	inherited: StubConfig | undefined;
	/** Sent as Scenario-ID with every notification of this call, as Graph's chain id. */
	readonly scenarioId: string;

	constructor(private readonly sql: SqlStorage) {
		sql.exec("INSERT OR IGNORE INTO settings (only_row, scenario_id) VALUES (1, ?)", crypto.randomUUID());
		const row = sql.exec<SettingsRow>("SELECT own_config, inherited_config, scenario_id FROM settings").one();
		this.own = parse(row.own_config);
		this.inherited = parse(row.inherited_config);
		this.scenarioId = row.scenario_id;
	}

	get effective(): StubConfig | undefined {
		return this.own ?? this.inherited;
	}

	setOwn(config: StubConfig | undefined): void {
		this.own = config;
		this.sql.exec("UPDATE settings SET own_config = ?", config ? JSON.stringify(config) : null);
	}

	setInherited(config: StubConfig | undefined): void {
		this.inherited = config;
		this.sql.exec("UPDATE settings SET inherited_config = ?", config ? JSON.stringify(config) : null);
	}

	view() {
		return { own: this.own ?? null, inherited: this.inherited ?? null, effective: this.effective ?? null };
	}
}
