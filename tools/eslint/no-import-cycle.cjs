// A file-level import circle inside a project, type-only imports included: a lint rule of our own
// because import-x/no-cycle and import/no-cycle skip every `import type`, and the two circles
// wordbatch once had (migrate's counter files; wordbatch's aws actions and commands) each had a
// type-only arrow in them. Nx's enforce-module-boundaries already refuses circles between projects;
// this rule follows relative imports only. TypeScript itself finds the imports (ts.preProcessFile:
// static, type-only, re-exports and import()) and resolves them (ts.resolveModuleName).
const { statSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');
const ts = require('typescript');

const RESOLUTION = { moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: false };
/** file → { mtimeMs, targets }: what a file imports, read again only when the file changed. */
const importsByFile = new Map();

/** The project files `file` imports by a relative path, resolved (as saved on disk). */
function localImports(file) {
  const { mtimeMs } = statSync(file);
  const cached = importsByFile.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached.targets;
  const targets = [];
  for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
    const target = resolveRelative(fileName, file);
    if (target !== undefined && !targets.includes(target)) targets.push(target);
  }
  importsByFile.set(file, { mtimeMs, targets });
  return targets;
}

/** One TypeScript module resolution cache for the whole lint run: most files import the same few names. */
const resolutionCache = ts.createModuleResolutionCache(process.cwd(), (name) => name, RESOLUTION);

function resolveRelative(specifier, from) {
  if (!specifier.startsWith('.')) return undefined;
  const resolved = ts.resolveModuleName(specifier, from, RESOLUTION, ts.sys, resolutionCache).resolvedModule;
  return resolved === undefined || resolved.isExternalLibraryImport ? undefined : resolved.resolvedFileName;
}

/** A shortest chain of imports from `start` back to `file`, or undefined. */
function pathBack(start, file) {
  const cameFrom = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const next of localImports(current)) {
      if (next === file) {
        const chain = [current];
        for (let step = cameFrom.get(current); step !== undefined; step = cameFrom.get(step)) chain.unshift(step);
        return chain;
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid an import that leads back to the importing file (type-only imports and import() included)' },
    schema: [],
    messages: { cycle: 'Import circle: {{chain}}. Move what both sides need into a module of its own (types into a types-only module).' },
  },
  create(context) {
    const file = context.physicalFilename;
    const reported = new Set();
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const target = resolveRelative(specifier, file);
      if (target === undefined || target === file || reported.has(target)) return;
      const chain = pathBack(target, file);
      if (chain === undefined) return;
      reported.add(target);
      const names = [file, ...chain, file].map((name) => relative(context.cwd, name));
      context.report({ node, messageId: 'cycle', data: { chain: names.join(' → ') } });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const argument = node.argument?.literal ?? node.argument;
        if (argument?.type === 'Literal') check(node, argument.value);
      },
    };
  },
};

module.exports = { rules: { 'no-import-cycle': noImportCycle } };
