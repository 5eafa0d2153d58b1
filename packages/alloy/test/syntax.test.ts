import { describe, expect, it } from 'vitest';
import {
  add,
  attr,
  block,
  call,
  formatConfig,
  formatValue,
  quote,
  ref,
} from '../src/index.js';

// The serializer of Alloy's configuration syntax. `alloy fmt` and `alloy validate` (the real binary) check its
// output in config.test.ts; these pin the rules it follows.

describe('strings', () => {
  it('escapes quotes, backslashes and control characters as Go does, and keeps UTF-8', () => {
    expect(quote('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(quote('line\nnext\ttab\rcr')).toBe('"line\\nnext\\ttab\\rcr"');
    expect(quote('bell\u0007del\u007f')).toBe('"bell\\x07del\\x7f"');
    expect(quote('ünïcödé ✓ 🚀')).toBe('"ünïcödé ✓ 🚀"');
    // A regular expression keeps its own backslashes: `(\n)$` is written "(\\n)$".
    expect(quote('(\\n)$')).toBe('"(\\\\n)$"');
  });
});

describe('values', () => {
  it('writes literals, lists, references, calls and sums', () => {
    expect(formatValue(null)).toBe('null');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(3.5)).toBe('3.5');
    expect(formatValue(['a', 1, ref('loki.write.default.receiver')])).toBe(
      '["a", 1, loki.write.default.receiver]',
    );
    expect(
      formatValue(add('spec.nodeName=', call('sys.env', 'HOSTNAME'))),
    ).toBe('"spec.nodeName=" + sys.env("HOSTNAME")');
  });

  it('writes objects over lines with aligned keys, quoting keys that are not identifiers', () => {
    expect(formatValue({ object: { a: 1, 'b-c': 'x' } }, '\t')).toBe(
      '{\n\t\ta     = 1,\n\t\t"b-c" = "x",\n\t}',
    );
    expect(formatValue({ object: {} })).toBe('{}');
  });

  it('refuses what Alloy cannot read', () => {
    expect(() => formatValue(Number.NaN)).toThrow(/finite/);
    expect(() => formatValue(ref('loki.write.default-receiver'))).toThrow(
      /reference/,
    );
    expect(() => formatConfig([attr('bad-name', 1)])).toThrow(/attribute name/);
    expect(() => formatConfig([block('loki write', [])])).toThrow(/block name/);
  });
});

describe('blocks', () => {
  it('nests blocks with tab indents, aligns runs of attributes, and sets blocks apart by a blank line', () => {
    const text = formatConfig([
      block(
        'discovery.kubernetes',
        [
          attr('role', 'pod'),
          block('selectors', [
            attr('role', 'pod'),
            attr('field', 'spec.nodeName=n1'),
          ]),
        ],
        'pods',
      ),
      block(
        'loki.process',
        [
          attr('forward_to', [ref('loki.write.default.receiver')]),
          block('stage.cri', []),
          block('stage.match', [
            attr('selector', '{a="b"}'),
            block('stage.docker', []),
          ]),
        ],
        'pods',
      ),
    ]);
    expect(text).toBe(
      [
        'discovery.kubernetes "pods" {',
        '\trole = "pod"',
        '',
        '\tselectors {',
        '\t\trole  = "pod"',
        '\t\tfield = "spec.nodeName=n1"',
        '\t}',
        '}',
        '',
        'loki.process "pods" {',
        '\tforward_to = [loki.write.default.receiver]',
        '',
        '\tstage.cri { }',
        '',
        '\tstage.match {',
        '\t\tselector = "{a=\\"b\\"}"',
        '',
        '\t\tstage.docker { }',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes labels', () => {
    expect(formatConfig([block('loki.write', [], 'a "b"')])).toBe(
      'loki.write "a \\"b\\"" { }\n',
    );
  });
});
