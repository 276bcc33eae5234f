import { CommandLineError } from '@wordbatch/errors';
import type { Flag } from './command-line';
import { flag, formatSize } from './flag-kinds';

describe('the flag kinds: read applies the constraint, write omits the default, sample is valid', () => {
  it('integers: bounds named in the error, the default written as nothing', () => {
    const top = flag.integerWithDefault(1, 100, { help: 'how many', default: 10 });
    expect([top.read([], '--top'), top.read(['7'], '--top')]).toEqual([10, 7]);
    expect(() => top.read(['0'], '--top')).toThrow(CommandLineError);
    expect(() => top.read(['abc'], '--top')).toThrow(/--top/);
    expect([top.write(10), top.write(7)]).toEqual([[], ['7']]);
    expect(top.read(top.write(top.sample), '--top')).toBe(top.sample);
    expect([top.constraintText, top.defaultText, top.placeholder]).toEqual(['1-100', '10', 'N']);
  });

  it('bounded sizes: binary units in, the shortest exact unit out', () => {
    const part = flag.sizeWithDefault(64 * 1024, 1024 ** 3, { help: 'part', default: 8 * 1024 ** 2 });
    expect(part.read(['16MiB'], '--part-size')).toBe(16 * 1024 ** 2);
    expect(part.write(16 * 1024 ** 2)).toEqual(['16MiB']);
    expect(part.write(8 * 1024 ** 2)).toEqual([]);
    expect(() => part.read(['1KiB'], '--part-size')).toThrow('--part-size must be between 64KiB and 1GiB, got "1KiB"');
    expect([part.defaultText, part.constraintText]).toEqual(['8MiB', '64KiB-1GiB']);
    expect([formatSize(1536), formatSize(3 * 1024 ** 4), formatSize(1000)]).toEqual(['1536', '3TiB', '1000']);
  });

  it('choices: only the listed values, shown as the placeholder', () => {
    const format = flag.choice(['table', 'json', 'csv'] as const, { help: 'format', default: 'table', aliases: ['output'] });
    expect(format.read(['csv'], '--format')).toBe('csv');
    expect(() => format.read(['yaml'], '--format')).toThrow(CommandLineError);
    expect([format.placeholder, format.aliases, format.write('table'), format.write('json')]).toEqual(['table|json|csv', ['output'], [], ['json']]);
  });

  it('S3 URIs: parsed into a bucket and key, written back the same', () => {
    const plan = flag.s3Uri({ help: 'plan', required: true });
    expect(plan.read(['s3://bucket/plans/p.json'], '--plan')).toEqual({ bucket: 'bucket', key: 'plans/p.json' });
    expect(plan.write({ bucket: 'bucket', key: 'plans/p.json' })).toEqual(['s3://bucket/plans/p.json']);
    expect(() => plan.read(['bucket/plans'], '--plan')).toThrow(/plan/);
    expect(plan.required).toBe(true);
  });

  it('word sets: lowercased, blanks dropped, "" the empty set, equal sets are the default', () => {
    const stopwords = flag.wordSet({ help: 'stop', default: new Set(['and', 'the']), defaultText: 'and,the' });
    expect([...stopwords.read([' The ,AND,,of'], '--stopwords')]).toEqual(['the', 'and', 'of']);
    expect(stopwords.read([''], '--stopwords').size).toBe(0);
    expect(stopwords.write(new Set(['the', 'and']))).toEqual([]);
    expect(stopwords.write(new Set())).toEqual(['']);
  });

  it('repeatable texts, each checked; switches true when given and written as the bare flag', () => {
    const include = flag.texts('GLOB', { help: 'inc', check: (text, name) => {
      if (text === '') throw new CommandLineError(`${name} must not be empty`);
    } });
    expect(include.read(['*.txt', '*.md'], '--include')).toEqual(['*.txt', '*.md']);
    expect(() => include.read(['*.txt', ''], '--include')).toThrow('--include must not be empty');
    expect(include.repeatable).toBe(true);
    const perFile = flag.switch({ help: 'per file' });
    expect([perFile.read([], '--per-file'), perFile.read([''], '--per-file'), perFile.write(true), perFile.write(false)]).toEqual([false, true, [''], []]);
    expect(perFile.placeholder).toBeUndefined();
  });

  it('withDefault, optional and required derive a flag without losing its parser', () => {
    const shards = flag.integer(1, 10, { help: 'shards' });
    const local = flag.withDefault(shards, 4, 'the number of cores');
    expect([local.read([], '--shards'), local.read(['9'], '--shards'), local.defaultText]).toEqual([4, 9, 'the number of cores']);
    expect(() => local.read(['11'], '--shards')).toThrow(CommandLineError);
    expect(flag.required(shards).required).toBe(true);
    expect(flag.optional(flag.required(shards)).required).toBe(false);
  });

  it('name the flag as given in every error their value gives', () => {
    const refusal = (read: () => unknown): string => {
      try {
        read();
      } catch (error) {
        if (error instanceof CommandLineError) return error.message;
        throw error;
      }
      return 'accepted';
    };
    expect(refusal(() => flag.s3Uri({ help: 'plan' }).read(['plans/p.json'], '--plan'))).toBe('--plan: "plans/p.json" is not an S3 URI: expected s3://bucket/key');
    expect(refusal(() => flag.integer(1, 100, { help: 'top' }).read(['0'], '--top'))).toBe('--top must be between 1 and 100, got 0');
    expect(refusal(() => flag.size({ help: 'size' }).read(['lots'], '--shard-bytes'))).toBe('--shard-bytes must be a size such as 512MiB or 4GiB, got "lots"');
    expect(refusal(() => flag.sizeWithDefault(1024, 2048, { help: 'part', default: 1024 }).read(['lots'], '--part-size'))).toBe(
      '--part-size must be a size such as 512MiB or 4GiB, got "lots"',
    );
    expect(refusal(() => flag.choice(['table', 'json'] as const, { help: 'format', default: 'table' }).read(['yaml'], '--format'))).toBe('--format must be one of table, json, got "yaml"');
    expect(refusal(() => flag.s3Uris({ help: 'sources' }).read(['s3://okay/a', 'bad'], '--from'))).toBe('--from: "bad" is not an S3 URI: expected s3://bucket/key');
  });

  it('sizes without bounds: any byte count, written as a number of bytes', () => {
    const shardBytes = flag.size({ help: 'about SIZE a shard' });
    expect([shardBytes.placeholder, shardBytes.constraintText, shardBytes.defaultText]).toEqual(['SIZE', 'bytes, or with KiB/MiB/GiB/TiB', undefined]);
    expect([shardBytes.read([], '--shard-bytes'), shardBytes.read(['4GiB'], '--shard-bytes')]).toEqual([undefined, 4 * 1024 ** 3]);
    expect([shardBytes.write(4 * 1024 ** 3), shardBytes.write(undefined)]).toEqual([['4294967296'], []]);
  });

  it('bounded sizes take both bounds and refuse a byte beyond either', () => {
    const part = flag.sizeWithDefault(64 * 1024, 1024 ** 3, { help: 'part', default: 8 * 1024 ** 2 });
    expect([part.read(['64KiB'], '--part-size'), part.read(['1GiB'], '--part-size')]).toEqual([64 * 1024, 1024 ** 3]);
    expect(() => part.read([String(64 * 1024 - 1)], '--part-size')).toThrow('--part-size must be between 64KiB and 1GiB, got "65535"');
    expect(() => part.read([String(1024 ** 3 + 1)], '--part-size')).toThrow('--part-size must be between 64KiB and 1GiB, got "1073741825"');
    expect([part.placeholder, part.sample, part.write(part.sample)]).toEqual(['SIZE', 1024 ** 3, ['1GiB']]);
  });

  it('formatSize uses the largest binary unit that divides the size, up to TiB', () => {
    expect([formatSize(1), formatSize(1024), formatSize(1024 ** 2 * 3), formatSize(1024 ** 5), formatSize(1024 ** 4 * 1.5)]).toEqual(['1', '1KiB', '3MiB', '1024TiB', '1536GiB']);
  });

  it('word sets: LIST, written comma-separated, the default only when it holds the same words', () => {
    const stopwords = flag.wordSet({ help: 'stop', default: new Set(['and', 'the']), defaultText: 'and,the' });
    expect([stopwords.placeholder, stopwords.constraintText, stopwords.defaultText]).toEqual(['LIST', 'comma-separated', 'and,the']);
    expect(stopwords.write(new Set(['of', 'to']))).toEqual(['of,to']);
    expect(stopwords.write(new Set(['the', 'of']))).toEqual(['the,of']);
    expect(stopwords.write(new Set(['the']))).toEqual(['the']);
  });

  it('every sample is a valid value other than the default: written as text, it reads back the same', () => {
    const refuseEmpty = (text: string, name: string): void => {
      if (text === '') throw new CommandLineError(`${name} must not be empty`);
    };
    const flags = {
      plan: flag.s3Uri({ help: 'plan' }),
      sources: flag.s3Uris({ help: 'sources' }),
      top: flag.integerWithDefault(1, 100, { help: 'top', default: 10 }),
      shards: flag.integer(1, 10, { help: 'shards' }),
      shardBytes: flag.size({ help: 'size' }),
      part: flag.sizeWithDefault(1, 1024 ** 2, { help: 'part', default: 1024 }),
      format: flag.choice(['table', 'json', 'csv'] as const, { help: 'format', default: 'table' }),
      scope: flag.optionalChoice(['plan', 'merge'] as const, { help: 'scope' }),
      name: flag.text('NAME', { help: 'name', check: refuseEmpty }),
      include: flag.texts('GLOB', { help: 'include', check: refuseEmpty }),
      encoding: flag.canonicalText('LABEL', (text) => text.toLowerCase(), { help: 'encoding', default: 'utf-8', sample: 'windows-1252' }),
      noWords: flag.wordSet({ help: 'stop', default: new Set(), defaultText: '' }),
      perFile: flag.switch({ help: 'per file' }),
    };
    for (const [name, entry] of Object.entries(flags) as [string, Flag<unknown>][]) {
      const texts = entry.write(entry.sample);
      expect([name, texts.length > 0]).toEqual([name, true]);
      expect([name, entry.read(texts, `--${name}`)]).toEqual([name, entry.sample]);
    }
    expect([flags.plan.write(flags.plan.sample), flags.format.sample, flags.scope.sample, flags.sources.sample.length]).toEqual([['s3://sample-bucket/sample/key.json'], 'csv', 'merge', 2]);
  });

  it('derived flags keep the base flag\'s text and parser', () => {
    const base = flag.integer(1, 10, { help: 'shards', placeholder: 'K', aliases: ['count'] });
    expect([base.placeholder, base.constraintText, base.aliases]).toEqual(['K', '1-10', ['count']]);
    const local = flag.withDefault(base, 4, 'the number of cores');
    expect([local.help, local.placeholder, local.aliases, local.required, local.sample, local.write(9), local.write(4)]).toEqual(['shards', 'K', ['count'], false, 10, ['9'], ['4']]);
    const required = flag.required(flag.integerWithDefault(1, 10, { help: 'top', default: 3 }));
    expect([required.required, required.defaultText, required.read(['2'], '--top')]).toEqual([true, undefined, 2]);
    const top = flag.integerWithDefault(1, 10, { help: 'top', default: 3, defaultText: 'three' });
    expect(top.defaultText).toBe('three');
  });
});

