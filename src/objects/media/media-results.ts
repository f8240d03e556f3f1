import type { ResultInfo } from "../../schema/result-info";

const resultInfo = (code: number, subcode: number, message: string): NonNullable<ResultInfo> => ({
	"@odata.type": "#microsoft.graph.resultInfo",
	code,
	subcode,
	message,
});

export const ACTION_COMPLETED = resultInfo(200, 0, "Action completed successfully.");
export const ACTION_CANCELLED = resultInfo(400, 8508, "Action failed, the operation was cancelled.");
