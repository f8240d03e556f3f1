import type * as v from "valibot";
import { enumValue } from "./enum-value";

export const OPERATION_STATUSES = ["NotStarted", "Running", "Completed", "Failed"] as const;

export const OperationStatus = enumValue("operationStatus", OPERATION_STATUSES);
export type OperationStatus = v.InferOutput<typeof OperationStatus>;

/** Where an operation ends: it moves no further, and Graph notifies it as `deleted`. */
export const isTerminal = (status: string) => status === "Completed" || status === "Failed";
