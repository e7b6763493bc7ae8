import type { z } from "zod";

/**
 * zod issues as one line a person can act on: "line_items.0.price: expected a decimal string;
 * token: required". Used wherever a failure reason is stored or shown (webhook events, imports).
 */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "payload"}: ${issue.message}`)
    .join("; ");
}

/**
 * Pass as `safeParse(input, { error: readableIssueMessage })`. zod's defaults read "Invalid
 * input: expected string, received undefined"; a missing field should just say "required".
 * Messages set on a schema still win over this map.
 */
export const readableIssueMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")) return "required";
  if (issue.code === "invalid_type") return `expected ${issue.expected}, received ${describeInputType(issue.input)}`;
  return undefined;
};

function describeInputType(input: unknown): string {
  if (input === null) return "null";
  return Array.isArray(input) ? "array" : typeof input;
}
