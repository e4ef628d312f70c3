/**
 * The Lambda client (honours `AWS_ENDPOINT_URL_LAMBDA`), and an asynchronous invocation. chatops
 * imports this module dynamically, so a refused request never evaluates it.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

export const lambda = new LambdaClient({});

/**
 * Invokes a function with InvocationType `Event`: Lambda queues the event and answers 202 at once,
 * so the caller does not wait for the run.
 */
export async function invokeAsync(functionName: string, payload: unknown): Promise<void> {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  if (response.StatusCode !== 202) {
    throw new Error(`Lambda answered ${String(response.StatusCode)} to an Event invocation`);
  }
}
