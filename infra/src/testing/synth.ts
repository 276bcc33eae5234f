import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { configSchema, type ConfigInput, resolveStages, type WordbatchConfig } from '../config/schema';
import { WordbatchStack } from '../stack';

/** Test helpers: synthesize the stack and look things up in its Terraform JSON. */

export type Block = Record<string, unknown>;

export function testConfig(input: ConfigInput = {}): WordbatchConfig {
  return resolveStages(configSchema.parse(input));
}

export interface Synthesized {
  /** The Terraform JSON, as the cdktf jest matchers take it. */
  readonly json: string;
  /** Every resource of a Terraform type, by logical id. */
  resources(type: string): Record<string, Block>;
  /** The one resource of `type` whose `attribute` equals `value`. */
  find(type: string, attribute: string, value: unknown): { id: string; body: Block };
  outputs(): Record<string, Block>;
}

const NO_DOCUMENTS = path.join(os.tmpdir(), 'wordbatch-infra-test-no-documents');

export function synthStack(input: ConfigInput = {}, documentsDir = NO_DOCUMENTS): Synthesized {
  const stack = new WordbatchStack(Testing.app(), 'test', {
    config: testConfig(input),
    documentsDir,
  });
  const json = Testing.synth(stack);
  const tf = JSON.parse(json) as {
    resource?: Record<string, Record<string, Block>>;
    output?: Record<string, Block>;
  };
  const resources = (type: string) => tf.resource?.[type] ?? {};
  return {
    json,
    resources,
    find(type, attribute, value) {
      const matches = Object.entries(resources(type)).filter(([, body]) => body[attribute] === value);
      if (matches.length !== 1) {
        throw new Error(`expected one ${type} with ${attribute}=${String(value)}, found ${matches.length}`);
      }
      return { id: matches[0][0], body: matches[0][1] };
    },
    outputs: () => tf.output ?? {},
  };
}

/** A Terraform reference as it appears in the synthesized JSON: `${type.id.attribute}`. */
export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

/** A temporary folder holding `files` (relative path to content). */
export function tempFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wordbatch-infra-test-'));
  for (const [relativePath, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relativePath)), { recursive: true });
    fs.writeFileSync(path.join(dir, relativePath), content);
  }
  return dir;
}
