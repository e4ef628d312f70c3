/**
 * Signs a Slack slash-command request the way Slack does (v0 HMAC-SHA256 of
 * `v0:{timestamp}:{body}`), for trying the chatops function by hand.
 *
 *   SLACK_SIGNING_SECRET=… node scripts/sign-slack-request.ts [--time UNIX] [--event FILE] [--text "prod apiserver"]
 *       prints FILE (default events/slack-command.json), a function URL request, with a fresh
 *       timestamp and signature (and the command text replaced, when given)
 *   SLACK_SIGNING_SECRET=… node scripts/sign-slack-request.ts --body 'token=…&text=…' [--time UNIX]
 *       prints the two headers for that body
 *
 * The secret comes from the environment (`--secret-env NAME`, default SLACK_SIGNING_SECRET) so it
 * stays out of the shell history and the process list; `--secret` is accepted for throwaway ones.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { slackSignature } from '#lib/chatops/signature.ts';

const { values } = parseArgs({
  options: {
    secret: { type: 'string' },
    'secret-env': { type: 'string', default: 'SLACK_SIGNING_SECRET' },
    time: { type: 'string' },
    event: { type: 'string', default: 'events/slack-command.json' },
    body: { type: 'string' },
    text: { type: 'string' },
  },
});

const secret = values.secret ?? process.env[values['secret-env']];
if (!secret) {
  process.stderr.write(`set ${values['secret-env']} (or pass --secret) to the signing secret\n`);
  process.exit(2);
}
const timestamp = values.time ?? String(Math.floor(Date.now() / 1000));

if (values.body !== undefined) {
  const signature = slackSignature(secret, timestamp, Buffer.from(values.body));
  process.stdout.write(
    `X-Slack-Request-Timestamp: ${timestamp}\nX-Slack-Signature: ${signature}\n`,
  );
} else {
  const event = JSON.parse(readFileSync(values.event, 'utf8')) as {
    headers: Record<string, string>;
    body: string;
    isBase64Encoded: boolean;
  };
  let body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (values.text !== undefined) {
    const form = new URLSearchParams(body.toString('utf8'));
    form.set('text', values.text);
    form.set('trigger_id', `${timestamp}.${Math.floor(Math.random() * 1e9)}.signed`);
    body = Buffer.from(form.toString());
    event.body = event.isBase64Encoded ? body.toString('base64') : body.toString('utf8');
    event.headers['content-length'] = String(body.length);
  }
  event.headers['x-slack-request-timestamp'] = timestamp;
  event.headers['x-slack-signature'] = slackSignature(secret, timestamp, body);
  process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
}
