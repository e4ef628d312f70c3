/** Slack chatops: slash-command verification, parsing, allow-lists and Block Kit messages. */
export { ephemeral, errorMessage, escapeMrkdwn, helpMessage, reportMessage } from './blocks.ts';
export type { ReportMessageOptions, SlackBlock, SlackMessage, SlackText } from './blocks.ts';
export { checkAccess, knownJobs, parseSlashCommand } from './command.ts';
export type { AccessVerdict, SlashCommand } from './command.ts';
export { handleSlashCommand } from './handle.ts';
export type { ChatopsDeps, CheckRequest, FunctionUrlEvent, FunctionUrlResult } from './handle.ts';
export { ReplayGuard } from './replay.ts';
export {
  isAllowedResponseUrl,
  isSlackResponseUrl,
  postToResponseUrl,
  SLACK_RESPONSE_URL_HOSTS,
} from './respond.ts';
export type { PostOptions } from './respond.ts';
export { createSecretCache, fetchSigningSecret, parseSecretLocation } from './secret.ts';
export type { SecretLocation } from './secret.ts';
export { SIGNATURE_TOLERANCE_SECONDS, slackSignature, verifySlackSignature } from './signature.ts';
export type { SignatureVerdict, SignedRequest } from './signature.ts';
