import autocannon from "autocannon";

// Bounded bulk seeding for the growth rows: many creates sent at once through the stub's own API (the
// same path a tester's seed takes), `count` of them, given up after `limitSeconds`. Over one call the group
// commit writes them in large batches; over many calls each request starts a call object and registers it.

export type Seeding = {
	count: number;
	token: string;
	path: (n: number) => string;
	body: string;
	connections: number;
	limitSeconds: number;
};

/** Sends `count` creates; resolves with the seconds it took, throws unless every one answered 201. */
export async function seedMany(base: URL, seeding: Seeding): Promise<number> {
	if (base.hostname !== "127.0.0.1") throw new Error(`refusing to seed ${base.hostname}`);
	let n = 0;
	let created = 0;
	const started = Date.now();
	let instance: autocannon.Instance | undefined;
	const finished = new Promise<void>((resolve, reject) => {
		instance = autocannon(
			{
				url: base.href,
				connections: seeding.connections,
				amount: seeding.count,
				requests: [
					{
						method: "POST",
						headers: { Authorization: `Bearer ${seeding.token}`, "Content-Type": "application/json" },
						body: seeding.body,
						setupRequest: (request) => ({ ...request, path: seeding.path(n++) }),
					},
				],
			},
			(error) => (error ? reject(error) : resolve()),
		);
	});
	instance?.on("response", (_client, status) => {
		if (status === 201) created++;
	});
	const limit = setTimeout(() => instance?.stop(), seeding.limitSeconds * 1000);
	await finished;
	clearTimeout(limit);
	const seconds = (Date.now() - started) / 1000;
	if (created < seeding.count)
		throw new Error(`seeding stopped at ${created} of ${seeding.count} creates after ${seconds.toFixed(0)} s`);
	return seconds;
}
