import { resultInfoOf as resultInfo } from "../../schema/result-info";

// The resultInfo values a call ends with (Graph's call-end codes; numeric, as on the wire).

export const ENDED_BY_BOT = resultInfo(200, 5001, "The conversation has ended.");
export const ENDED_BY_FAR_SIDE = resultInfo(200, 5002, "The conversation has ended. DiagCode: 0#5002.@");
export const ANSWER_TIMED_OUT = resultInfo(
	408,
	1106,
	"An acknowledgement was not received for the call acceptance in the allotted time.",
);
export const KEEP_ALIVE_TIMED_OUT = resultInfo(408, 8537, "Keep Alive timeout, cleaned up inactive call.");
export const TRANSFER_COMPLETED = resultInfo(0, 7015, "GracefulTransferCompleted");
