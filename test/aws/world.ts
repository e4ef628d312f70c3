/**
 * A fake AWS account for the tests: IAM users with static keys, roles with trust policies, and the
 * sessions sts:AssumeRole hands out. The local STS issues sessions from it; the Kubernetes
 * emulator looks up who signed an EKS token in it. Every secret it makes is listed in `secrets()`,
 * so tests can check that none reaches an output.
 */
import { randomBytes } from 'node:crypto';

export const ACCOUNT = '111122223333';

export interface Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The caller's ARN as GetCallerIdentity says it (`…:user/ci`, `…:assumed-role/x/session`). */
  arn: string;
  /** The IAM principal an EKS access entry names (`…:user/ci`, `…:role/x`). */
  principalArn: string;
  /** When temporary credentials stop working (ms). */
  expiresAt?: number;
}

export interface Role {
  arn: string;
  /** Principal ARNs allowed to assume it. */
  trusted: string[];
  /** Required sts:ExternalId, if any. */
  externalId?: string;
}

function secret(length: number): string {
  return randomBytes(length).toString('base64').slice(0, length);
}

export class AwsWorld {
  readonly #byKey = new Map<string, Principal>();
  readonly roles = new Map<string, Role>();
  /** Lifetime of assumed-role sessions (ms). */
  sessionMs = 3_600_000;

  /** Adds an IAM user with a fresh access key. */
  addUser(name: string): Principal {
    const user: Principal = {
      accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      // Secret keys carry / and + like real ones, so encoding bugs show.
      secretAccessKey: `${secret(30)}/+${secret(8)}`,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      principalArn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    };
    this.#byKey.set(user.accessKeyId, user);
    return user;
  }

  addRole(name: string, trusted: string[], externalId?: string): Role {
    const role: Role = {
      arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      trusted,
      ...(externalId === undefined ? {} : { externalId }),
    };
    this.roles.set(role.arn, role);
    return role;
  }

  /** Issues a session for `roleArn`, as sts:AssumeRole would. */
  assume(roleArn: string, sessionName: string, now: number): Principal {
    const name = roleArn.split('/').pop() ?? 'role';
    const session: Principal = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: `${secret(30)}+/${secret(8)}`,
      sessionToken: `IQoJb3JpZ2luX2Vj${secret(60)}/+=`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${sessionName}`,
      principalArn: roleArn,
      expiresAt: now + this.sessionMs,
    };
    this.#byKey.set(session.accessKeyId, session);
    return session;
  }

  lookup(accessKeyId: string): Principal | undefined {
    return this.#byKey.get(accessKeyId);
  }

  /** Every secret access key and session token ever issued. */
  secrets(): string[] {
    return [...this.#byKey.values()].flatMap((p) => [
      p.secretAccessKey,
      ...(p.sessionToken === undefined ? [] : [p.sessionToken]),
    ]);
  }
}
