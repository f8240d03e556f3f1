import { registryObject } from "../../calls/call-object";
import type { MeetingClaim } from "../registry/meeting-list";

// A meeting in its namespace's list (the registry's `meetings`, bounded by MEETINGS_PER_NAMESPACE). The
// meeting's object lists itself before it stores anything and unlists itself when it is gone, each
// inside one of its exclusive turns: so no create, join or wipe of the same meeting interleaves with it.

export class MeetingListing {
	constructor(
		private readonly env: Env,
		private readonly namespace: string,
		private readonly cap: () => number,
	) {}

	claim(meetingId: string): Promise<MeetingClaim> {
		return registryObject(this.env, this.namespace).claimMeeting(meetingId, this.cap());
	}

	unlist(meetingId: string): Promise<void> {
		return registryObject(this.env, this.namespace).unlistMeeting(meetingId);
	}
}
