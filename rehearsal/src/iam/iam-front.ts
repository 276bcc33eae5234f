import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AppliedStack, Policy } from '../stack/applied-stack';
import { authorizationOf, type S3Authorization } from './s3-request';

/** Who is calling: the temporary credentials of one job attempt's role session. */
export interface RoleSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly roleArn: string;
  /** What the rehearsal knows the caller as, e.g. "migrate[1] attempt 2". */
  readonly label: string;
  /** The stage whose job definition started the attempt. */
  readonly stage: string;
}

/** One S3 call as the front decided it. */
export interface CallRecord {
  readonly session: string;
  readonly stage: string;
  readonly roleArn: string;
  readonly operation: string;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
  /** What the caller got. */
  readonly status: number;
  /** Set for the ListBucket check S3 makes when an object is missing (404 or 403). */
  readonly missingObjectCheck?: boolean;
}

/** A fault to inject instead of forwarding a request (the rehearsal's failure scenarios). */
export type Fault =
  | { readonly kind: 'reset' }
  | { readonly kind: 'stall' }
  | { readonly kind: 'error'; readonly status: number; readonly code: string }
  | { readonly kind: 'body'; readonly body: string };
export type FaultRule = (session: RoleSession, call: S3Authorization, url: URL) => Fault | undefined;

export interface IamFrontOptions {
  readonly stack: AppliedStack;
  /** The embedded S3 server, plain HTTP on loopback, and the one key pair it accepts. */
  readonly upstream: string;
  readonly upstreamCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The front's TLS key and certificate (PEM): requests reach it over HTTPS, as S3 over TLS. */
  readonly tls: { readonly key: string; readonly cert: string };
  readonly faults?: FaultRule;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * S3 in front of the embedded server, with IAM enforced: each request is authorized as the
 * role session its access key belongs to, by evaluating the role's synthesized inline
 * policies together with the bucket's synthesized policy with @cloud-copilot/iam-simulate,
 * and a denied request gets S3's own 403 AccessDenied answer
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). An allowed request
 * is signed again with the embedded server's own key (its signature check then guards the
 * forwarding); the caller's signature itself is not checked here (s3-store checks the direct
 * GETs' signatures against the SDK's own signer).
 */
export class IamFront {
  private server?: Server;
  private readonly sessions = new Map<string, RoleSession>();
  private readonly decisions = new Map<string, Promise<boolean>>();
  readonly calls: CallRecord[] = [];

  constructor(private readonly options: IamFrontOptions) {}

  async listen(): Promise<string> {
    this.server = createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, (request, response) => void this.handle(request, response));
    // As S3 does, idle connections stay open well past Node's default 5 s (see BatchEndpoint).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  /** New temporary credentials for a session of `roleArn`, as the job's task role would get. */
  newSession(roleArn: string, label: string, stage: string): RoleSession {
    if (!this.options.stack.roles.some((role) => role.arn === roleArn)) throw new Error(`the stack has no role ${roleArn}`);
    const session = { accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64'), roleArn, label, stage };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /** Whether `roleArn` may do `action` on `resource` with these condition keys, per its policies and the bucket policy. */
  isAllowed(roleArn: string, action: string, resource: string, bucket: string, context: Readonly<Record<string, string>>): Promise<boolean> {
    const key = JSON.stringify([roleArn, action, resource, context]);
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.simulate(roleArn, action, resource, bucket, context);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private async simulate(roleArn: string, action: string, resource: string, bucket: string, context: Readonly<Record<string, string>>): Promise<boolean> {
    const { stack } = this.options;
    const role = stack.roles.find((candidate) => candidate.arn === roleArn);
    if (role === undefined) return false;
    const bucketPolicy: Policy | undefined = stack.buckets[bucket];
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:sts::${stack.accountId}:assumed-role/${role.name}/rehearsal`,
          action,
          resource: { resource, accountId: stack.accountId },
          contextVariables: { ...context },
        },
        identityPolicies: Object.entries(role.policies).map(([name, policy]) => ({ name, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(bucketPolicy === undefined ? {} : { resourcePolicy: bucketPolicy }),
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(`iam-simulate refused ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult === 'Allowed';
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://s3.local');
    const accessKeyId = /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1];
    const session = accessKeyId === undefined ? undefined : this.sessions.get(accessKeyId);
    const call = authorizationOf(request.method ?? 'GET', request.url ?? '/');
    if (session === undefined) return this.deny(request, response, 'InvalidAccessKeyId', 'The AWS access key Id you provided does not exist in our records.');
    if (call === undefined) {
      this.record(session, { operation: `${request.method} ${url.pathname}`, action: 'unknown', resource: url.pathname, allowed: false, status: 403 });
      return this.deny(request, response, 'AccessDenied', `the rehearsal's front does not know the S3 operation ${request.method} ${url.pathname}${url.search}`);
    }
    // Global condition keys of the request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
    const context = {
      ...call.context,
      'aws:SecureTransport': 'true',
      'aws:PrincipalArn': session.roleArn,
      'aws:PrincipalAccount': this.options.stack.accountId,
    };
    const allowed = await this.isAllowed(session.roleArn, call.action, call.resource, call.bucket, context);
    if (!allowed) {
      this.record(session, { ...call, allowed, status: 403 });
      return this.deny(request, response, 'AccessDenied', `User: arn:aws:sts::${this.options.stack.accountId}:assumed-role/${session.roleArn.split('/').at(-1)}/${session.label} is not authorized to perform: ${call.action} on resource: "${call.resource}"`);
    }
    const fault = this.options.faults?.(session, call, url);
    if (fault?.kind === 'reset') {
      this.record(session, { ...call, allowed, status: 0 });
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'stall') {
      // No answer at all, until the caller gives up and closes the connection.
      this.record(session, { ...call, allowed, status: 0 });
      request.resume();
      return;
    }
    if (fault?.kind === 'body') {
      this.record(session, { ...call, allowed, status: 200 });
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(fault.body) });
      response.end(fault.body);
      return;
    }
    if (fault?.kind === 'error') {
      this.record(session, { ...call, allowed, status: fault.status });
      request.resume();
      return this.sendError(request, response, fault.status, fault.code, 'injected by the rehearsal');
    }
    if (call.operation === 'AbortMultipartUpload') {
      // The embedded server does not implement AbortMultipartUpload (405); S3 answers an
      // allowed abort with 204 No Content, and so does the front.
      request.resume();
      this.record(session, { ...call, allowed, status: 204 });
      response.writeHead(204, { 'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase() });
      response.end();
      return;
    }
    await this.forward(request, response, session, call, context);
  }

  /** The request's headers signed for the embedded server, the payload hash kept as sent. */
  private async resign(request: IncomingMessage, upstream: URL): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || ['authorization', 'x-amz-date', 'x-amz-security-token', 'connection', 'host', 'expect'].includes(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    headers['host'] = upstream.host;
    headers['x-amz-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
    const url = new URL(request.url ?? '/', upstream);
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signer = new SignatureV4({ credentials: this.options.upstreamCredentials, region: this.options.stack.region, service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    const signed = await signer.sign({ method: request.method ?? 'GET', protocol: 'http:', hostname: upstream.hostname, port: Number(upstream.port), path: url.pathname, query, headers });
    return signed.headers;
  }

  private async forward(request: IncomingMessage, response: ServerResponse, session: RoleSession, call: S3Authorization, context: Record<string, string>): Promise<void> {
    const upstream = new URL(this.options.upstream);
    const headers = await this.resign(request, upstream);
    return new Promise((resolve) => {
      const outgoing = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
        (answer) => {
          void (async () => {
            const status = answer.statusCode ?? 502;
            // A missing object is 404 only for a caller that may list the bucket; S3 makes
            // that check with the object request's own context, so it has no s3:prefix
            // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
            if (status === 404 && (call.operation === 'GetObject' || call.operation === 'HeadObject')) {
              const bucketResource = `arn:aws:s3:::${call.bucket}`;
              const mayList = await this.isAllowed(session.roleArn, 's3:ListBucket', bucketResource, call.bucket, context);
              this.record(session, { operation: call.operation, action: 's3:ListBucket', resource: bucketResource, allowed: mayList, status: mayList ? 404 : 403, missingObjectCheck: true });
              if (!mayList) {
                answer.resume();
                this.record(session, { ...call, allowed: true, status: 403 });
                this.sendError(request, response, 403, 'AccessDenied', 'Access Denied');
                resolve();
                return;
              }
            }
            this.record(session, { ...call, allowed: true, status });
            response.writeHead(status, answer.headers);
            answer.pipe(response);
            answer.on('end', () => resolve());
            answer.on('error', () => resolve());
          })();
        },
      );
      outgoing.on('error', () => {
        response.destroy();
        resolve();
      });
      request.pipe(outgoing);
    });
  }

  private deny(request: IncomingMessage, response: ServerResponse, code: string, message: string): void {
    request.resume();
    this.sendError(request, response, 403, code, message);
  }

  private sendError(request: IncomingMessage, response: ServerResponse, status: number, code: string, message: string): void {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    if (request.method === 'HEAD') {
      response.writeHead(status, { 'x-amz-request-id': requestId });
      response.end();
      return;
    }
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId><HostId>rehearsal</HostId></Error>`;
    response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': requestId });
    response.end(body);
  }

  private record(session: RoleSession, call: Omit<CallRecord, 'session' | 'stage' | 'roleArn'>): void {
    this.calls.push({ session: session.label, stage: session.stage, roleArn: session.roleArn, ...call });
  }
}
