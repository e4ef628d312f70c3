/**
 * The SSM client (honours `AWS_ENDPOINT_URL_SSM`), and reading one parameter, decrypted. Import
 * this module dynamically where SSM is optional.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export const ssm = new SSMClient({});

/** A parameter's value; SecureString parameters are decrypted. */
export async function getParameter(name: string): Promise<string> {
  const response = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = response.Parameter?.Value;
  if (value === undefined) throw new Error(`SSM parameter ${name} has no value`);
  return value;
}
