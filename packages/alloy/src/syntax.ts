// Alloy's configuration syntax (https://grafana.com/docs/alloy/latest/get-started/syntax/) as typed values, and the
// one serializer that writes them, laid out as `alloy fmt` lays them out: tab indents, one blank line between
// top-level blocks, the `=` of consecutive attributes aligned.

/** An expression that is not a literal: a reference to another component's export, a function call, or a sum. */
export type Expression =
  | { readonly ref: string }
  | { readonly call: string; readonly args: readonly Value[] }
  | { readonly add: readonly [Value, Value] };

export type Value =
  | string
  | number
  | boolean
  | null
  | Expression
  | readonly Value[]
  | ObjectValue;

/** An object literal, `{ key = value, … }`; unlike a block, its keys are data. */
export interface ObjectValue {
  readonly object: Readonly<Record<string, Value>>;
}

export interface Attribute {
  readonly attribute: string;
  readonly value: Value;
}

/** `name "label" { … }`: a component (`loki.write "default"`) or a nested block (`endpoint { … }`). */
export interface Block {
  readonly block: string;
  readonly label?: string;
  readonly body: readonly Statement[];
}

export type Statement = Attribute | Block;

export const ref = (path: string): Expression => ({ ref: path });
export const call = (name: string, ...args: Value[]): Expression => ({
  call: name,
  args,
});
export const add = (a: Value, b: Value): Expression => ({ add: [a, b] });
export const attr = (attribute: string, value: Value): Attribute => ({
  attribute,
  value,
});
export const block = (
  name: string,
  body: readonly Statement[],
  label?: string,
): Block => ({ block: name, body, ...(label !== undefined ? { label } : {}) });

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const isExpression = (v: Value): v is Expression =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  ('ref' in v || 'call' in v || 'add' in v);
const isObject = (v: Value): v is ObjectValue =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'object' in v;

/** A double-quoted string with Go's escapes, which Alloy's scanner reads. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f)
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function checkName(name: string, what: string, pattern: RegExp): string {
  if (!pattern.test(name))
    throw new Error(`not a valid Alloy ${what}: ${JSON.stringify(name)}`);
  return name;
}

/** A value on one line (objects span lines: `indent` is where their closing brace goes). */
export function formatValue(v: Value, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v))
    return `[${v.map((x) => formatValue(x, indent)).join(', ')}]`;
  if (isExpression(v)) {
    if ('ref' in v) return checkName(v.ref, 'reference', DOTTED);
    if ('call' in v)
      return `${checkName(v.call, 'function name', DOTTED)}(${v.args.map((a) => formatValue(a, indent)).join(', ')})`;
    return `${formatValue(v.add[0], indent)} + ${formatValue(v.add[1], indent)}`;
  }
  if (isObject(v)) {
    const entries = Object.entries(v.object);
    if (entries.length === 0) return '{}';
    const inner = `${indent}\t`;
    const keys = entries.map(([k]) => (IDENTIFIER.test(k) ? k : quote(k)));
    const width = Math.max(...keys.map((k) => k.length));
    return `{\n${entries.map(([, x], i) => `${inner}${keys[i]!.padEnd(width)} = ${formatValue(x, inner)},`).join('\n')}\n${indent}}`;
  }
  throw new Error(`not an Alloy value: ${JSON.stringify(v)}`);
}

/** Statements at one depth: runs of attributes with aligned `=`, and blocks, each block set apart by a blank line. */
function formatBody(
  statements: readonly Statement[],
  indent: string,
): string[] {
  const lines: string[] = [];
  let run: Attribute[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((a) => a.attribute.length));
    for (const a of run)
      lines.push(
        `${indent}${checkName(a.attribute, 'attribute name', IDENTIFIER).padEnd(width)} = ${formatValue(a.value, indent)}`,
      );
    run = [];
  };
  statements.forEach((s, i) => {
    if ('attribute' in s) {
      run.push(s);
      return;
    }
    flush();
    if (i > 0) lines.push('');
    lines.push(...formatBlock(s, indent));
    if (i < statements.length - 1 && 'attribute' in statements[i + 1]!)
      lines.push('');
  });
  flush();
  return lines;
}

function formatBlock(b: Block, indent: string): string[] {
  const head = `${indent}${checkName(b.block, 'block name', DOTTED)}${b.label !== undefined ? ` ${quote(b.label)}` : ''} {`;
  if (b.body.length === 0) return [`${head} }`];
  return [head, ...formatBody(b.body, `${indent}\t`), `${indent}}`];
}

/** A whole configuration file: top-level blocks and attributes, ending in a newline. */
export function formatConfig(statements: readonly Statement[]): string {
  return `${formatBody(statements, '').join('\n')}\n`;
}
