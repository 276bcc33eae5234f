import { CommandLineError } from '@wordbatch/errors';
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
});
