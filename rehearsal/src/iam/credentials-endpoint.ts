import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly roleArn: string;
}

/**
 * The task-role credentials endpoint ECS gives each task, so that the stages find their
 * role's credentials through the SDK's default chain, as on Fargate, rather than from
 * variables. ECS serves it at 169.254.170.2 with AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
 * the SDK also accepts AWS_CONTAINER_CREDENTIALS_FULL_URI on a loopback address with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN, which is what this one uses
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).
 */
export class CredentialsEndpoint {
  private server?: Server;
  private url = '';
  private readonly byPath = new Map<string, { token: string; credentials: TemporaryCredentials }>();

  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      const entry = this.byPath.get(request.url ?? '');
      if (entry === undefined || request.headers.authorization !== entry.token) {
        response.writeHead(entry === undefined ? 404 : 401);
        response.end();
        return;
      }
      const { credentials } = entry;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: `rehearsal-session-${credentials.accessKeyId}`,
          Expiration: new Date(Date.now() + 6 * 3600 * 1000).toISOString(),
          RoleArn: credentials.roleArn,
        }),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The variables that point a task's SDK at its credentials. */
  environmentFor(credentials: TemporaryCredentials): Record<string, string> {
    const path = `/v2/credentials/${randomBytes(16).toString('hex')}`;
    const token = randomBytes(24).toString('base64');
    this.byPath.set(path, { token, credentials });
    return { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${this.url}${path}`, AWS_CONTAINER_AUTHORIZATION_TOKEN: token };
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
