// A small, safe parser for the formulas typed into the playground (`x^2 + 10*y^2`): numbers, the
// named variables, + - * / ^, parentheses and a fixed list of functions. It builds a tree and
// never evaluates text as code (webviews forbid eval anyway). Errors carry the character range
// of the text they are about, so the editor and the panel can point at it.

export type Expr =
  | { kind: 'num'; value: number; start: number; end: number }
  | { kind: 'var'; name: string; start: number; end: number }
  | { kind: 'neg'; arg: Expr; start: number; end: number }
  | { kind: 'bin'; op: BinaryOp; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'call'; fn: FunctionName; args: Expr[]; start: number; end: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '^';

/** Functions of one argument, and max/min of two (the chain-rule view's "max gate"). */
export const FUNCTIONS = { sin: 1, cos: 1, tan: 1, tanh: 1, exp: 1, log: 1, sqrt: 1, abs: 1, max: 2, min: 2 } as const;
export type FunctionName = keyof typeof FUNCTIONS;
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

export interface ExprError {
  message: string;
  /** 0-based offsets into the expression text, end exclusive. */
  start: number;
  end: number;
}

export type ParseOutcome = { ok: true; expr: Expr } | { ok: false; error: ExprError };

/** Longer than any formula worth plotting; bounds the work a hostile file can cause. */
export const MAX_EXPRESSION_LENGTH = 400;
const MAX_DEPTH = 60;

interface Token {
  kind: 'num' | 'name' | 'op' | '(' | ')' | ',' | 'end';
  text: string;
  start: number;
  end: number;
}

class ExprSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) { i++; continue; }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'num', text: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z_0-9]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    if (ch === '*' && text[i + 1] === '*') {
      tokens.push({ kind: 'op', text: '^', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if ('+-*/^'.includes(ch)) tokens.push({ kind: 'op', text: ch, start: i, end: i + 1 });
    else if (ch === '(' || ch === ')' || ch === ',') tokens.push({ kind: ch, text: ch, start: i, end: i + 1 });
    else throw new ExprSyntaxError(`Unexpected character '${ch}'.`, i, i + 1);
    i++;
  }
  tokens.push({ kind: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

/** Parses `text` over the given variable names (e.g. ['x', 'y']). Never throws. */
export function parseExpression(text: string, variables: readonly string[]): ParseOutcome {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: { message: `The expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`, start: MAX_EXPRESSION_LENGTH, end: text.length } };
  }
  try {
    const tokens = tokenize(text);
    const p = new Parser(tokens, variables);
    if (tokens[0]?.kind === 'end') throw new ExprSyntaxError(`The expression is empty; write a formula in ${variables.join(' and ')}, e.g. x^2 + 10*y^2.`, 0, text.length);
    const expr = p.sum(0);
    const rest = p.peek();
    if (rest.kind !== 'end') throw new ExprSyntaxError(rest.kind === ')' ? "Unmatched ')'." : `Expected an operator before '${rest.text}'.`, rest.start, rest.end);
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof ExprSyntaxError) return { ok: false, error: { message: e.message, start: e.start, end: Math.max(e.end, e.start) } };
    throw e;
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly variables: readonly string[]) {}

  peek(): Token {
    return this.tokens[this.pos] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private guard(depth: number, at: Token): void {
    if (depth > MAX_DEPTH) throw new ExprSyntaxError(`Nested more than ${MAX_DEPTH} levels deep.`, at.start, at.end);
  }

  // sum := product (('+' | '-') product)*
  sum(depth: number): Expr {
    return this.leftAssociative(depth, '+', '-', (d) => this.product(d));
  }

  // product := unary (('*' | '/') unary)*
  private product(depth: number): Expr {
    return this.leftAssociative(depth, '*', '/', (d) => this.unary(d));
  }

  /** operand ((a | b) operand)*, grouped from the left: a - b - c is (a - b) - c. */
  private leftAssociative(depth: number, a: BinaryOp, b: BinaryOp, operand: (depth: number) => Expr): Expr {
    let left = operand(depth);
    while (this.peek().kind === 'op' && (this.peek().text === a || this.peek().text === b)) {
      const op = this.next().text as BinaryOp;
      const right = operand(depth);
      left = { kind: 'bin', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  // unary := '-' unary | '+' unary | power     (so -x^2 is -(x^2), as in mathematics)
  private unary(depth: number): Expr {
    const t = this.peek();
    this.guard(depth, t);
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      const arg = this.unary(depth + 1);
      return t.text === '-' ? { kind: 'neg', arg, start: t.start, end: arg.end } : arg;
    }
    return this.power(depth);
  }

  // power := atom ('^' unary)?     (right-associative: 2^3^2 = 2^9)
  private power(depth: number): Expr {
    const base = this.atom(depth);
    if (this.peek().kind === 'op' && this.peek().text === '^') {
      this.next();
      const exponent = this.unary(depth + 1);
      return { kind: 'bin', op: '^', left: base, right: exponent, start: base.start, end: exponent.end };
    }
    return base;
  }

  private atom(depth: number): Expr {
    const t = this.next();
    if (t.kind === 'num') {
      const value = Number(t.text);
      if (!Number.isFinite(value)) throw new ExprSyntaxError(`The number ${t.text} is too large.`, t.start, t.end);
      return { kind: 'num', value, start: t.start, end: t.end };
    }
    if (t.kind === '(') {
      const inner = this.sum(depth + 1);
      const close = this.next();
      if (close.kind !== ')') throw new ExprSyntaxError(`Missing ')' to close the '(' at character ${t.start + 1}.`, t.start, close.end);
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'name') return this.name(t, depth);
    if (t.kind === 'end') throw new ExprSyntaxError('The expression ends too early: a number, variable or ( is missing.', t.start, t.end);
    throw new ExprSyntaxError(`Expected a number, variable or ( here, not '${t.text}'.`, t.start, t.end);
  }

  private name(t: Token, depth: number): Expr {
    if (this.variables.includes(t.text)) return { kind: 'var', name: t.text, start: t.start, end: t.end };
    const constant = CONSTANTS[t.text];
    if (constant !== undefined && Object.hasOwn(CONSTANTS, t.text)) return { kind: 'num', value: constant, start: t.start, end: t.end };
    if (!Object.hasOwn(FUNCTIONS, t.text)) {
      throw new ExprSyntaxError(`Unknown name '${t.text}'. Use the variables ${this.variables.join(', ')}, the constants pi and e, or a function: ${Object.keys(FUNCTIONS).join(', ')}.`, t.start, t.end);
    }
    const fn = t.text as FunctionName;
    const open = this.next();
    if (open.kind !== '(') throw new ExprSyntaxError(`'${fn}' is a function: write ${fn}(...).`, t.start, open.end);
    const args = [this.sum(depth + 1)];
    while (this.peek().kind === ',') {
      this.next();
      args.push(this.sum(depth + 1));
    }
    const close = this.next();
    if (close.kind !== ')') throw new ExprSyntaxError(`Missing ')' to close ${fn}(.`, open.start, close.end);
    if (args.length !== FUNCTIONS[fn]) throw new ExprSyntaxError(`${fn} takes ${FUNCTIONS[fn]} argument${FUNCTIONS[fn] === 1 ? '' : 's'}, not ${args.length}.`, t.start, close.end);
    return { kind: 'call', fn, args, start: t.start, end: close.end };
  }
}
