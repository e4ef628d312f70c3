/**
 * The functions' events (`../shared/contract.md`, "The functions"), validated: a malformed event is
 * an error that says what was wrong, never a run of everything by accident.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini (12 KB bundled, against 454 KB for classic zod) has no messages of its own: zod's
// English error map is passed to each parse, so the messages read as classic zod's
// (https://zod.dev/packages/mini#no-default-locale).
const english = { error: en().localeError };

const names = z.optional(z.array(z.string().check(z.minLength(1))));

/** `{ clusters?, jobs? }`: the scheduled rule's constant input, and each fan-out message. */
export const runRequestSchema = z.strictObject({ clusters: names, jobs: names });
export type RunRequest = z.output<typeof runRequestSchema>;

/** The `check` function's event; `requested_by` (a Slack user id) is chatops' addition. */
export const checkEventSchema = z.extend(runRequestSchema, {
  response_url: z.optional(z.url({ protocol: /^https?$/ })),
  requested_by: z.optional(z.string()),
});
export type CheckEvent = z.output<typeof checkEventSchema>;

/** An EventBridge Scheduled Event (the rule without constant input). */
const scheduledEventSchema = z.looseObject({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
});

function problem(error: z.core.$ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'event'}: ${i.message}`)
    .join('; ');
}

/** The event could not be read. */
export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

/** A Scheduled Event runs everything; constant input names what to run. */
export function parseScheduledEvent(event: unknown): RunRequest {
  if (scheduledEventSchema.safeParse(event).success) return {};
  const parsed = runRequestSchema.safeParse(event ?? {}, english);
  if (!parsed.success)
    throw new EventError(
      `not a Scheduled Event nor { clusters?, jobs? }: ${problem(parsed.error)}`,
    );
  return parsed.data;
}

/** An SQS message body: JSON `{ clusters?, jobs? }`. */
export function parseMessageBody(body: string): RunRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new EventError(`the body is not JSON: ${(error as Error).message}`);
  }
  const parsed = runRequestSchema.safeParse(json, english);
  if (!parsed.success)
    throw new EventError(`the body is not { clusters?, jobs? }: ${problem(parsed.error)}`);
  return parsed.data;
}

export function parseCheckEvent(event: unknown): CheckEvent {
  const parsed = checkEventSchema.safeParse(event ?? {}, english);
  if (!parsed.success) throw new EventError(`not a check event: ${problem(parsed.error)}`);
  return parsed.data;
}

/** The parts of an SQS event the worker reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
