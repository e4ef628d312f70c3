/**
 * The Secrets Manager client (honours `AWS_ENDPOINT_URL_SECRETS_MANAGER`), and reading a secret.
 * Import this module dynamically where Secrets Manager is optional.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const secretsManager = new SecretsManagerClient({});

/** A secret's current string value. */
export async function getSecretString(secretId: string): Promise<string> {
  const response = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (response.SecretString === undefined) {
    throw new Error(`secret ${secretId} has no SecretString (binary secrets are not supported)`);
  }
  return response.SecretString;
}
