import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AppliedJobDefinition, AppliedStack } from '../stack/applied-stack';
import type { ContainerRunner, RunningContainer } from './containers';
import { shouldRetry, type AttemptEnd } from './retry-decision';

/**
 * A local AWS Batch endpoint: the REST-JSON API the SDK sends (AWS_ENDPOINT_URL_BATCH),
 * limited to what wordbatch calls (SubmitJob, DescribeJobs, ListJobs), over the job queues
 * and job definitions of the synthesized stack, running each attempt's container with the
 * given runner. A test fixture that follows the documented behaviour, cited where it matters.
 */

export type JobStatus = 'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
const TERMINAL: ReadonlySet<JobStatus> = new Set(['SUCCEEDED', 'FAILED']);
const ALL_STATUSES: readonly JobStatus[] = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'];

/** What ECS gives a stopped container a chance to do between SIGTERM and SIGKILL (ECS_CONTAINER_STOP_TIMEOUT's default). */
export const STOP_GRACE_SECONDS = 30;

interface Attempt {
  readonly taskId: string;
  readonly logStreamName: string;
  readonly startedAt: number;
  stoppedAt?: number;
  exitCode?: number;
  reason?: string;
  statusReason?: string;
}

interface Job {
  readonly jobId: string;
  readonly jobName: string;
  readonly jobQueueArn: string;
  readonly definition: AppliedJobDefinition;
  readonly command: readonly string[];
  readonly environment: readonly { name: string; value: string }[];
  readonly dependsOn: readonly string[];
  readonly createdAt: number;
  readonly arraySize?: number;
  readonly arrayIndex?: number;
  readonly parentId?: string;
  readonly children: Job[];
  readonly attempts: Attempt[];
  readonly shareIdentifier?: string;
  status: JobStatus;
  statusReason?: string;
  startedAt?: number;
  stoppedAt?: number;
  /** Every status the job went through, in order (for the rehearsal's assertions). */
  readonly history: JobStatus[];
}

/** What the endpoint tells its owner about each attempt, so that it can give the container a role. */
export interface AttemptContext {
  readonly jobId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly arrayIndex?: number;
  readonly definition: AppliedJobDefinition;
  readonly taskId: string;
  readonly logStreamName: string;
}

export interface BatchEndpointOptions {
  readonly stack: AppliedStack;
  readonly runner: ContainerRunner;
  /** Where each log group's streams are written, as files `<dir>/<group>/<stream>`. */
  readonly logsDir: string;
  /** Containers running at once: this machine's capacity, not the compute environment's. */
  readonly maxRunning?: number;
  /** Variables the platform adds to an attempt's container: its role's credentials, endpoints. */
  readonly platformEnvironment?: (attempt: AttemptContext) => Promise<Record<string, string>> | Record<string, string>;
  /** Called when an attempt ends. */
  readonly onAttemptEnd?: (attempt: AttemptContext, end: AttemptEnd) => void;
  /** Seconds between SIGTERM and SIGKILL for a timed-out attempt. */
  readonly stopGraceSeconds?: number;
}

class ClientException extends Error {}

export class BatchEndpoint {
  private readonly jobs = new Map<string, Job>();
  private readonly order: Job[] = [];
  private server?: Server;
  private running = 0;
  private readonly active = new Set<Promise<void>>();
  private readonly containers = new Map<string, RunningContainer>();
  private closed = false;

  constructor(private readonly options: BatchEndpointOptions) {}

  async listen(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    // AWS endpoints keep idle connections open far longer than Node's default 5 s; a shorter
    // timeout races the SDK's reuse of a kept-alive socket (ECONNRESET).
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops the server; running containers are killed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const container of this.containers.values()) await container.signal('SIGKILL');
    await Promise.allSettled([...this.active]);
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  /** The statuses a job went through. */
  historyOf(jobId: string): readonly JobStatus[] {
    return this.requireJob(jobId).history;
  }

  /** Every job submitted (array children included), in submission order. */
  allJobs(): readonly { jobId: string; jobName: string; status: JobStatus; attempts: number; definition: string }[] {
    return [...this.jobs.values()].map((job) => ({ jobId: job.jobId, jobName: job.jobName, status: job.status, attempts: job.attempts.length, definition: job.definition.name }));
  }

  /** Waits until every job submitted so far is SUCCEEDED or FAILED. */
  async settled(): Promise<void> {
    while ([...this.jobs.values()].some((job) => !TERMINAL.has(job.status))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown, errorType?: string) => {
      response.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      response.end(JSON.stringify(body));
    };
    try {
      // The SDK signs for service "batch"; anything else is not a Batch client.
      if (!/Credential=[^/]+\/\d{8}\/[^/]+\/batch\/aws4_request/.test(String(request.headers.authorization))) {
        return reply(403, { message: 'The request signature is not for AWS Batch' }, 'UnrecognizedClientException');
      }
      const input = (chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as Record<string, unknown>;
      switch (request.url?.split('?')[0]) {
        case '/v1/submitjob':
          return reply(200, this.submitJob(input));
        case '/v1/describejobs':
          return reply(200, this.describeJobs(input));
        case '/v1/listjobs':
          return reply(200, this.listJobs(input));
        default:
          return reply(404, { message: `the rehearsal's Batch endpoint does not offer ${request.url}` }, 'ClientException');
      }
    } catch (error) {
      if (error instanceof ClientException) return reply(400, { message: error.message }, 'ClientException');
      return reply(500, { message: String(error) }, 'ServerException');
    }
  }

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_SubmitJob.html
  private submitJob(input: Record<string, unknown>): { jobArn: string; jobName: string; jobId: string } {
    const { stack } = this.options;
    const jobName = String(input['jobName'] ?? '');
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(jobName)) throw new ClientException(`jobName ${jobName} is not valid`);
    const queueRef = String(input['jobQueue'] ?? '');
    const queue = stack.jobQueues.find((candidate) => candidate.name === queueRef || candidate.arn === queueRef);
    if (queue === undefined) throw new ClientException(`JobQueue ${queueRef} not found`);
    const definitionRef = String(input['jobDefinition'] ?? '');
    // A name, name:revision or ARN; without a revision, the latest active one (here the only one).
    const definitionName = definitionRef.replace(/^arn:[^:]+:batch:[^:]+:\d+:job-definition\//, '').replace(/:\d+$/, '');
    const definition = stack.jobDefinitions.find((candidate) => candidate.name === definitionName);
    if (definition === undefined) throw new ClientException(`JobDefinition ${definitionRef} not found`);
    if (input['shareIdentifier'] !== undefined) throw new ClientException('shareIdentifier is only for fair-share queues; this queue has no scheduling policy');
    const overrides = (input['containerOverrides'] ?? {}) as { command?: string[]; environment?: { name: string; value: string }[] };
    const dependsOn = ((input['dependsOn'] ?? []) as { jobId?: string }[]).map((dependency) => String(dependency.jobId));
    for (const id of dependsOn) this.requireJob(id);
    const size = (input['arrayProperties'] as { size?: number } | undefined)?.size;
    if (size !== undefined && (size < 2 || size > 10_000)) throw new ClientException('arrayProperties.size must be between 2 and 10000');
    const base = {
      jobName,
      jobQueueArn: queue.arn,
      definition,
      command: overrides.command ?? definition.containerProperties.command ?? [],
      environment: [...(definition.containerProperties.environment ?? []), ...(overrides.environment ?? [])],
      createdAt: Date.now(),
      attempts: [],
      children: [],
      status: 'SUBMITTED' as JobStatus,
      history: ['SUBMITTED' as JobStatus],
    };
    const job: Job = { ...base, jobId: randomUUID(), dependsOn, ...(size === undefined ? {} : { arraySize: size }) };
    this.add(job);
    if (size !== undefined) {
      // Array children are <parent id>:<index>; each runs on its own
      // (https://docs.aws.amazon.com/batch/latest/userguide/array_jobs.html).
      for (let index = 0; index < size; index++) {
        const child: Job = { ...base, attempts: [], children: [], history: ['SUBMITTED'], jobId: `${job.jobId}:${index}`, arrayIndex: index, parentId: job.jobId, dependsOn };
        job.children.push(child);
        this.add(child);
      }
    }
    this.schedule();
    return { jobArn: `arn:aws:batch:${stack.region}:${stack.accountId}:job/${job.jobId}`, jobName, jobId: job.jobId };
  }

  private add(job: Job): void {
    this.jobs.set(job.jobId, job);
    this.order.push(job);
  }

  private requireJob(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new ClientException(`Job ${jobId} not found`);
    return job;
  }

  private setStatus(job: Job, status: JobStatus, statusReason?: string): void {
    if (job.status === status) return;
    job.status = status;
    if (statusReason !== undefined) job.statusReason = statusReason;
    job.history.push(status);
  }

  /** Moves every job as far as it can go now; called whenever something changed. */
  private schedule(): void {
    if (this.closed) return;
    for (const job of this.order) {
      if (TERMINAL.has(job.status) || job.children.length > 0) continue;
      if (job.status === 'SUBMITTED' || job.status === 'PENDING') {
        const dependencies = job.dependsOn.map((id) => this.requireJob(id));
        if (dependencies.some((dependency) => dependency.status === 'FAILED')) {
          // A job whose dependency failed fails without running.
          this.setStatus(job, 'PENDING');
          this.finish(job, 'FAILED', 'Dependent Job failed');
          continue;
        }
        if (dependencies.every((dependency) => dependency.status === 'SUCCEEDED')) {
          if (job.status === 'SUBMITTED') this.setStatus(job, 'PENDING');
          this.setStatus(job, 'RUNNABLE');
        } else {
          this.setStatus(job, 'PENDING');
        }
      }
      if (job.status === 'RUNNABLE' && this.running < (this.options.maxRunning ?? 2)) {
        this.running++;
        const attempt = this.runAttempt(job).finally(() => {
          this.running--;
          this.active.delete(attempt);
          this.schedule();
        });
        this.active.add(attempt);
      }
    }
    for (const parent of this.order.filter((job) => job.children.length > 0 && !TERMINAL.has(job.status))) this.updateParent(parent);
  }

  /**
   * An array parent follows its children: PENDING until one runs, RUNNING while any does,
   * then SUCCEEDED when all children succeeded and FAILED when any failed
   * (https://docs.aws.amazon.com/batch/latest/userguide/array_jobs.html).
   */
  private updateParent(parent: Job): void {
    const statuses = parent.children.map((child) => child.status);
    if (parent.status === 'SUBMITTED') this.setStatus(parent, 'PENDING');
    if (statuses.every((status) => TERMINAL.has(status))) {
      const failed = statuses.filter((status) => status === 'FAILED').length;
      if (parent.status === 'PENDING') this.setStatus(parent, 'RUNNING');
      this.finish(parent, failed === 0 ? 'SUCCEEDED' : 'FAILED', failed === 0 ? 'Array Child Job Succeeded' : `Array Child Job failed: ${failed} of ${statuses.length}`);
    } else if (statuses.some((status) => status === 'RUNNING' || TERMINAL.has(status))) {
      this.setStatus(parent, 'RUNNING');
    }
  }

  private finish(job: Job, status: 'SUCCEEDED' | 'FAILED', statusReason: string): void {
    job.stoppedAt = Date.now();
    this.setStatus(job, status, statusReason);
  }

  private async runAttempt(job: Job): Promise<void> {
    const { definition } = job;
    const properties = definition.containerProperties;
    const taskId = randomBytes(16).toString('hex');
    // awslogs names a Batch container's stream <awslogs-stream-prefix>/default/<ECS task id>
    // (https://docs.aws.amazon.com/batch/latest/userguide/using_awslogs.html).
    const logOptions = properties.logConfiguration?.options ?? {};
    const prefix = logOptions['awslogs-stream-prefix'] ?? definition.name;
    const logStreamName = `${prefix}/default/${taskId}`;
    const attemptNumber = job.attempts.length + 1;
    const attempt: Attempt = { taskId, logStreamName, startedAt: Date.now() };
    job.attempts.push(attempt);
    this.setStatus(job, 'STARTING');
    const context: AttemptContext = { jobId: job.jobId, jobName: job.jobName, attempt: attemptNumber, ...(job.arrayIndex === undefined ? {} : { arrayIndex: job.arrayIndex }), definition, taskId, logStreamName };
    // The variables Batch sets in every job's container
    // (https://docs.aws.amazon.com/batch/latest/userguide/job_env_vars.html).
    const batchVariables: Record<string, string> = {
      AWS_BATCH_JOB_ID: job.jobId,
      AWS_BATCH_JOB_ATTEMPT: String(attemptNumber),
      AWS_BATCH_JQ_NAME: job.jobQueueArn.split('/').at(-1) ?? '',
      AWS_BATCH_CE_NAME: 'rehearsal',
      ...(job.arrayIndex === undefined ? {} : { AWS_BATCH_JOB_ARRAY_INDEX: String(job.arrayIndex) }),
    };
    const environment = {
      ...Object.fromEntries(job.environment.map((variable) => [variable.name, variable.value])),
      ...batchVariables,
      ...(await this.options.platformEnvironment?.(context)),
    };
    const group = logOptions['awslogs-group'] ?? '/aws/batch/job';
    const container = this.options.runner.start({
      taskId,
      properties,
      command: job.command,
      environment,
      logFile: join(this.options.logsDir, group, logStreamName),
    });
    this.containers.set(taskId, container);
    job.startedAt ??= Date.now();
    this.setStatus(job, 'RUNNING');
    if (job.parentId) this.updateParent(this.requireJob(job.parentId));

    // attemptDurationSeconds: Batch stops the attempt as ECS stops a task, SIGTERM, then
    // SIGKILL after the grace period (https://docs.aws.amazon.com/batch/latest/userguide/job_timeouts.html).
    let timedOut = false;
    const timeoutSeconds = definition.timeout?.attemptDurationSeconds;
    const timers: NodeJS.Timeout[] = [];
    if (timeoutSeconds !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          void container.signal('SIGTERM');
          timers.push(setTimeout(() => void container.signal('SIGKILL'), (this.options.stopGraceSeconds ?? STOP_GRACE_SECONDS) * 1000));
        }, timeoutSeconds * 1000),
      );
    }
    const exitCode = await container.exited;
    for (const timer of timers) clearTimeout(timer);
    this.containers.delete(taskId);
    attempt.stoppedAt = Date.now();
    attempt.exitCode = exitCode;
    attempt.statusReason = timedOut ? 'Job attempt duration exceeded timeout' : 'Essential container in task exited';
    const end: AttemptEnd = { exitCode, statusReason: attempt.statusReason, timedOut };
    this.options.onAttemptEnd?.(context, end);
    if (exitCode === 0) {
      this.finish(job, 'SUCCEEDED', attempt.statusReason);
    } else if (!this.closed && shouldRetry(definition.retryStrategy, attemptNumber, end)) {
      // A retried job goes back to RUNNABLE (https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html).
      this.setStatus(job, 'RUNNABLE', attempt.statusReason);
    } else {
      this.finish(job, 'FAILED', attempt.statusReason);
    }
    if (job.parentId) this.updateParent(this.requireJob(job.parentId));
  }

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_DescribeJobs.html
  private describeJobs(input: Record<string, unknown>): { jobs: unknown[] } {
    const ids = (input['jobs'] ?? []) as string[];
    if (ids.length > 100) throw new ClientException('DescribeJobs takes at most 100 job ids');
    return { jobs: ids.flatMap((id) => (this.jobs.has(id) ? [this.detail(this.requireJob(id))] : [])) };
  }

  private detail(job: Job): Record<string, unknown> {
    const { stack } = this.options;
    const properties = job.definition.containerProperties;
    const last = job.attempts.at(-1);
    const statusSummary = Object.fromEntries(ALL_STATUSES.map((status) => [status, job.children.filter((child) => child.status === status).length]));
    return {
      jobArn: `arn:aws:batch:${stack.region}:${stack.accountId}:job/${job.jobId}`,
      jobName: job.jobName,
      jobId: job.jobId,
      jobQueue: job.jobQueueArn,
      status: job.status,
      ...(job.statusReason === undefined ? {} : { statusReason: job.statusReason }),
      createdAt: job.createdAt,
      ...(job.startedAt === undefined ? {} : { startedAt: job.startedAt }),
      ...(job.stoppedAt === undefined ? {} : { stoppedAt: job.stoppedAt }),
      dependsOn: job.dependsOn.map((jobId) => ({ jobId })),
      jobDefinition: job.definition.arn,
      platformCapabilities: job.definition.platformCapabilities,
      ...(job.definition.timeout ? { timeout: job.definition.timeout } : {}),
      ...(job.definition.retryStrategy ? { retryStrategy: job.definition.retryStrategy } : {}),
      attempts: job.attempts
        .filter((attempt) => attempt.stoppedAt !== undefined)
        .map((attempt) => ({
          container: { taskArn: `arn:aws:ecs:${stack.region}:${stack.accountId}:task/rehearsal/${attempt.taskId}`, exitCode: attempt.exitCode, logStreamName: attempt.logStreamName, ...(attempt.reason ? { reason: attempt.reason } : {}) },
          startedAt: attempt.startedAt,
          stoppedAt: attempt.stoppedAt,
          statusReason: attempt.statusReason,
        })),
      container: {
        image: properties.image,
        command: job.command,
        jobRoleArn: properties.jobRoleArn,
        executionRoleArn: properties.executionRoleArn,
        environment: job.environment,
        resourceRequirements: properties.resourceRequirements,
        readonlyRootFilesystem: properties.readonlyRootFilesystem,
        logConfiguration: properties.logConfiguration,
        ...(job.children.length > 0 || last === undefined ? {} : { logStreamName: last.logStreamName, taskArn: `arn:aws:ecs:${stack.region}:${stack.accountId}:task/rehearsal/${last.taskId}` }),
        ...(last?.exitCode === undefined || job.children.length > 0 ? {} : { exitCode: last.exitCode }),
      },
      ...(job.arraySize !== undefined ? { arrayProperties: { size: job.arraySize, statusSummary } } : {}),
      ...(job.arrayIndex !== undefined ? { arrayProperties: { index: job.arrayIndex } } : {}),
    };
  }

  // https://docs.aws.amazon.com/batch/latest/APIReference/API_ListJobs.html
  private listJobs(input: Record<string, unknown>): { jobSummaryList: unknown[]; nextToken?: string } {
    const arrayJobId = input['arrayJobId'] as string | undefined;
    const status = (input['jobStatus'] as JobStatus | undefined) ?? 'RUNNING';
    const candidates = arrayJobId !== undefined ? this.requireJob(arrayJobId).children : this.order.filter((job) => job.parentId === undefined);
    const matching = candidates.filter((job) => job.status === status);
    const pageSize = Math.min(Number(input['maxResults'] ?? 100), 100);
    const start = Number(input['nextToken'] ?? 0);
    const page = matching.slice(start, start + pageSize);
    return {
      jobSummaryList: page.map((job) => ({
        jobArn: `arn:aws:batch:${this.options.stack.region}:${this.options.stack.accountId}:job/${job.jobId}`,
        jobId: job.jobId,
        jobName: job.jobName,
        createdAt: job.createdAt,
        status: job.status,
        ...(job.statusReason ? { statusReason: job.statusReason } : {}),
        ...(job.arrayIndex === undefined ? {} : { arrayProperties: { index: job.arrayIndex } }),
        ...(job.attempts.at(-1)?.exitCode === undefined ? {} : { container: { exitCode: job.attempts.at(-1)?.exitCode } }),
        jobDefinition: job.definition.arn,
      })),
      ...(start + pageSize < matching.length ? { nextToken: String(start + pageSize) } : {}),
    };
  }
}
