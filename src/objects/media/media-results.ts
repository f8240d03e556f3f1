import { resultInfoOf as resultInfo } from "../../schema/result-info";

export const ACTION_COMPLETED = resultInfo(200, 0, "Action completed successfully.");
export const ACTION_CANCELLED = resultInfo(400, 8508, "Action failed, the operation was cancelled.");
