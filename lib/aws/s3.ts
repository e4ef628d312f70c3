/**
 * The S3 client (honours `AWS_ENDPOINT_URL_S3`), and reading one object as text. Import this module
 * dynamically where S3 is optional: bundled, it is then evaluated only when first needed.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

export const s3 = new S3Client({});

/** The object's body as UTF-8 text. */
export async function getObjectText(bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf8');
}
