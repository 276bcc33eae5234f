import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The pinned AWS provider's schema, offline. No npm package ships `terraform providers schema
// -json` for hashicorp/aws, and getting it needs terraform and the registry. But the prebuilt
// bindings (@cdktf/provider-aws) are generated from exactly that schema, and their jsii assembly
// (.jsii, shipped in the package) keeps what a check of a configuration needs: every resource and
// data source type, and for each block its arguments (the Terraform name is in each property's
// registry link), whether each is required, its type, and its nested blocks. Computed-only
// attributes are not arguments, so they are rightly absent.

type JsiiTypeRef =
  | { primitive: 'string' | 'number' | 'boolean' | 'any' | 'json' | 'date' }
  | { collection: { kind: 'array' | 'map'; elementtype: JsiiTypeRef } }
  | { union: { types: JsiiTypeRef[] } }
  | { fqn: string };

interface JsiiProperty {
  name: string;
  optional?: boolean;
  docs?: { summary?: string; remarks?: string };
  type: JsiiTypeRef;
}

interface JsiiType {
  fqn: string;
  kind: string;
  datatype?: boolean;
  interfaces?: string[];
  properties?: JsiiProperty[];
  docs?: { summary?: string };
  initializer?: { parameters?: Array<{ type: JsiiTypeRef }> };
}

interface Argument {
  readonly required: boolean;
  readonly type: JsiiTypeRef;
}

/** Terraform's meta-arguments, which every resource and data source accepts (cdktf's TerraformMetaArguments). */
const META_ARGUMENTS = new Set(['count', 'depends_on', 'for_each', 'lifecycle', 'provider', 'provisioner', 'connection']);
/** cdktf's own metadata key in a synthesized block: a comment to Terraform. */
const CDKTF_METADATA = '//';
const REGISTRY_LINK = /\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/([^/\s]+)\/docs(?:\/(resources|data-sources)\/([a-z0-9_]+))?(?:#([a-z0-9_]+))? /;

export interface ProviderSchema {
  /** The provider version every registry link of the assembly names. */
  readonly versions: ReadonlySet<string>;
  readonly resourceTypes: ReadonlySet<string>;
  readonly dataSourceTypes: ReadonlySet<string>;
  /** Problems of a synthesized configuration against the schema, one line each; none when it fits. */
  validate(configuration: Record<string, unknown>): string[];
}

/** The assembly of the installed @cdktf/provider-aws (about 130 MB of JSON: read it once per suite). */
export function loadProviderSchema(assemblyFile = join(dirname(require.resolve('@cdktf/provider-aws/package.json')), '.jsii')): ProviderSchema {
  const types = (JSON.parse(readFileSync(assemblyFile, 'utf8')) as { types: Record<string, JsiiType> }).types;
  const versions = new Set<string>();
  const configOf = new Map<string, string>();
  for (const type of Object.values(types)) {
    const link = REGISTRY_LINK.exec(type.docs?.summary ?? '');
    if (type.kind !== 'class' || link === null || link[4] !== undefined) continue;
    versions.add(link[1]);
    const config = type.initializer?.parameters?.[2]?.type;
    if (config === undefined || !('fqn' in config)) continue;
    const key = link[2] === undefined ? 'provider' : `${link[2] === 'resources' ? 'resource' : 'data'}:aws_${link[3]}`;
    configOf.set(key, config.fqn);
  }

  const argumentsCache = new Map<string, Map<string, Argument>>();
  function argumentsOf(fqn: string): Map<string, Argument> {
    let found = argumentsCache.get(fqn);
    if (found !== undefined) return found;
    found = new Map();
    const type = types[fqn];
    for (const parent of type?.interfaces ?? []) if (types[parent] !== undefined) for (const [name, argument] of argumentsOf(parent)) found.set(name, argument);
    for (const property of type?.properties ?? []) {
      const link = REGISTRY_LINK.exec(`${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`);
      if (link?.[4] === undefined) continue;
      versions.add(link[1]);
      found.set(link[4], { required: property.optional !== true, type: property.type });
    }
    argumentsCache.set(fqn, found);
    return found;
  }

  const isBlock = (fqn: string) => types[fqn]?.datatype === true;

  function checkValue(value: unknown, type: JsiiTypeRef, where: string, problems: string[]): void {
    // A Terraform expression (a reference, a function call): Terraform types it when it plans.
    if (typeof value === 'string' && value.includes('${')) return;
    if ('primitive' in type) {
      const expected = type.primitive === 'json' ? 'string' : type.primitive;
      if (expected !== 'any' && expected !== 'date' && typeof value !== expected) problems.push(`${where}: a ${expected} expected, found ${JSON.stringify(value)}`);
    } else if ('collection' in type) {
      if (type.collection.kind === 'array') {
        if (!Array.isArray(value)) problems.push(`${where}: a list expected, found ${JSON.stringify(value)}`);
        else value.forEach((element, index) => checkValue(element, type.collection.elementtype, `${where}[${index}]`, problems));
      } else if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${where}: a map expected, found ${JSON.stringify(value)}`);
      else for (const [key, element] of Object.entries(value)) checkValue(element, type.collection.elementtype, `${where}.${key}`, problems);
    } else if ('union' in type) {
      // A value that is not an expression must fit one of the other alternatives.
      const alternatives = type.union.types.filter((alternative) => !('fqn' in alternative && alternative.fqn === 'cdktf.IResolvable'));
      if (alternatives.length === 0) return;
      const attempts = alternatives.map((alternative) => {
        const found: string[] = [];
        checkValue(value, alternative, where, found);
        return found;
      });
      if (attempts.every((found) => found.length > 0)) problems.push(...attempts.sort((a, b) => a.length - b.length)[0]);
    } else if (type.fqn === 'cdktf.IResolvable') {
      return;
    } else if (isBlock(type.fqn)) {
      // A nested block: cdktf writes one block as an object, several as a list of objects.
      const blocks = Array.isArray(value) ? value : [value];
      blocks.forEach((block, index) => checkBlock(block, type.fqn, Array.isArray(value) ? `${where}[${index}]` : where, false, problems));
    } else {
      problems.push(`${where}: of type ${type.fqn}, which the check does not know`);
    }
  }

  function checkBlock(body: unknown, fqn: string, where: string, topLevel: boolean, problems: string[]): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      problems.push(`${where}: a block expected, found ${JSON.stringify(body)}`);
      return;
    }
    const expected = argumentsOf(fqn);
    for (const [name, value] of Object.entries(body)) {
      if (name === CDKTF_METADATA || (topLevel && META_ARGUMENTS.has(name))) continue;
      const argument = expected.get(name);
      if (argument === undefined) problems.push(`${where}.${name}: not an argument of this block`);
      else checkValue(value, argument.type, `${where}.${name}`, problems);
    }
    for (const [name, argument] of expected) if (argument.required && !(name in body)) problems.push(`${where}: required argument ${name} missing`);
  }

  const resourceTypes = new Set([...configOf.keys()].filter((key) => key.startsWith('resource:')).map((key) => key.slice('resource:'.length)));
  const dataSourceTypes = new Set([...configOf.keys()].filter((key) => key.startsWith('data:')).map((key) => key.slice('data:'.length)));

  return {
    versions,
    resourceTypes,
    dataSourceTypes,
    validate(configuration) {
      const problems: string[] = [];
      const sections: Array<[string, 'resource' | 'data']> = [
        ['resource', 'resource'],
        ['data', 'data'],
      ];
      for (const [section, kind] of sections) {
        for (const [typeName, byId] of Object.entries((configuration[section] ?? {}) as Record<string, Record<string, unknown>>)) {
          const fqn = configOf.get(`${kind}:${typeName}`);
          if (fqn === undefined) {
            problems.push(`${section}.${typeName}: not a ${kind === 'resource' ? 'resource' : 'data source'} type of hashicorp/aws`);
            continue;
          }
          for (const [id, body] of Object.entries(byId)) checkBlock(body, fqn, `${section}.${typeName}.${id}`, true, problems);
        }
      }
      const providerFqn = configOf.get('provider');
      const providers = ((configuration['provider'] ?? {}) as Record<string, unknown[]>)['aws'] ?? [];
      if (providerFqn !== undefined) providers.forEach((block, index) => checkBlock(block, providerFqn, `provider.aws[${index}]`, false, problems));
      return problems;
    },
  };
}
