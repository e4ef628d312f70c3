/**
 * The SQS client (honours `AWS_ENDPOINT_URL_SQS`; requests go to the host in the queue URL). The
 * scheduled function imports this module dynamically, so it is evaluated only in fan-out mode.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

export const sqs = new SQSClient({});

/** SendMessageBatch's limit. */
const BATCH = 10;

/**
 * Sends each body as one message, ten to a SendMessageBatch call, and returns how many were
 * accepted. Throws when any message was refused, naming how many and why.
 */
export async function sendMessages(queueUrl: string, bodies: readonly string[]): Promise<number> {
  let sent = 0;
  for (let start = 0; start < bodies.length; start += BATCH) {
    const chunk = bodies.slice(start, start + BATCH);
    const response = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, i) => ({ Id: String(start + i), MessageBody: body })),
      }),
    );
    const failed = response.Failed ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(
        `SQS refused ${failed.length} of ${chunk.length} messages (${first?.Code ?? 'unknown'}: ${first?.Message ?? ''})`,
      );
    }
    sent += response.Successful?.length ?? 0;
  }
  return sent;
}
