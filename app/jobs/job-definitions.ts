import type { z } from "zod";
import { AppError } from "../core/app-error";
import type { EnqueueRequest, EnqueueResult, JobQueue } from "./job-queue";

/**
 * A job is a definition: its name, the schema of its payload and its handler. The runner
 * runs only names in its registry and parses every payload with the schema before the
 * handler sees it, so handlers trust their payload (STYLE.md: parse at the edge).
 */

export type JobContext = {
  jobId: string;
  name: string;
  /** This run's number, 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  shopId: string | null;
  /**
   * Aborted when the runner lost the job's lease (another runner may start it): stop
   * early, the other run's result is the one that counts.
   */
  signal: AbortSignal;
};

export type JobDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
  payload: Schema;
  // Method syntax so a registry can hold definitions with different payload types.
  handler(payload: z.output<Schema>, context: JobContext): Promise<void>;
};

export type JobRegistry = ReadonlyMap<string, JobDefinition>;

export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}

export function createJobRegistry(definitions: readonly JobDefinition[]): JobRegistry {
  const registry = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.name)) throw new Error(`Job "${definition.name}" is defined twice`);
    registry.set(definition.name, definition);
  }
  return registry;
}

/**
 * Enqueues a job of a known definition, checking the payload now so a caller's mistake fails
 * in the caller, not hours later in a runner.
 */
export async function enqueueJob<Schema extends z.ZodType>(
  queue: JobQueue,
  definition: JobDefinition<Schema>,
  payload: z.input<Schema>,
  options: Omit<EnqueueRequest, "name" | "payload"> = {},
): Promise<EnqueueResult> {
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    throw new AppError("VALIDATION", `Invalid payload for job "${definition.name}": ${describeIssues(parsed.error)}`);
  }
  // The input, not the parsed output: the runner parses again, and a transforming schema
  // must see what it was written for.
  return queue.enqueue({ ...options, name: definition.name, payload });
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(payload)"}: ${issue.message}`)
    .join("; ");
}
