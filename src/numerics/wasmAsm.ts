/**
 * A tiny WebAssembly assembler: enough of the binary format (core spec §5 "Binary
 * Format", fixed-width SIMD proposal) to emit the tensor kernels of `tensorWasm.ts`
 * from TypeScript, with no toolchain (also used by the eigensolver kernels of
 * `src/linalg/tridiagonalWasm.ts`). A function body is written as a flat list of
 * instructions through the `Body` helper; `wasmModule` wraps functions that share
 * one imported memory `env.mem` into a module's bytes.
 */

/** Value types (binary encoding). */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

/**
 * Appends `items` to `out` one by one: `out.push(...items)` passes every byte as an
 * argument and overflows the call stack for arrays of more than ~10⁵ entries (a module
 * over ≈ 150 KB).
 */
function append(out: number[], items: readonly number[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]);
}

function uleb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function sleb(n: number, out: number[]): void {
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/**
 * Builder of one function body. Locals are numbered after the parameters; `local`
 * declares one and returns its index. Each method appends one instruction.
 */
export class Body {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: readonly ValType[]) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  private simd(opcode: number): this {
    this.code.push(0xfd);
    uleb(opcode, this.code);
    return this;
  }
  private mem(align: number, offset: number): this {
    uleb(align, this.code);
    uleb(offset, this.code);
    return this;
  }

  // control: `block`/`loop` with empty type; `br`/`br_if` take a relative depth
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  /** `if` (empty type) on the i32 on the stack; close with `end`, optionally after `else`. */
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  br(depth: number): this {
    return this.op(0x0c, depth);
  }
  brIf(depth: number): this {
    return this.op(0x0d, depth);
  }

  get(l: number): this {
    this.op(0x20);
    uleb(l, this.code);
    return this;
  }
  set(l: number): this {
    this.op(0x21);
    uleb(l, this.code);
    return this;
  }
  tee(l: number): this {
    this.op(0x22);
    uleb(l, this.code);
    return this;
  }

  i32(v: number): this {
    this.op(0x41);
    sleb(v | 0, this.code);
    return this;
  }
  f64(v: number): this {
    this.op(0x44);
    const b = new Uint8Array(Float64Array.of(v).buffer);
    for (const x of b) this.code.push(x);
    return this;
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  /** Logical shift right. */
  shr(): this {
    return this.op(0x76);
  }
  /** Signed compares (the counters are small, non-negative). */
  ltS(): this {
    return this.op(0x48);
  }
  geS(): this {
    return this.op(0x4e);
  }
  gtS(): this {
    return this.op(0x4a);
  }

  f64Load(offset = 0): this {
    return this.op(0x2b).mem(3, offset);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a).mem(2, offset);
  }
  f64Store(offset = 0): this {
    return this.op(0x39).mem(3, offset);
  }
  promote(): this {
    return this.op(0xbb);
  }
  fadd(): this {
    return this.op(0xa0);
  }
  fsub(): this {
    return this.op(0xa1);
  }
  fmul(): this {
    return this.op(0xa2);
  }
  fdiv(): this {
    return this.op(0xa3);
  }

  v128Load(offset = 0): this {
    return this.simd(0x00).mem(4, offset);
  }
  /** Loads 8 bytes into the low lane(s), zeroing the rest (two float32). */
  v128Load64Zero(offset = 0): this {
    return this.simd(0x5d).mem(3, offset);
  }
  /** Loads one f64 into both lanes. */
  v128Load64Splat(offset = 0): this {
    return this.simd(0x0a).mem(3, offset);
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b).mem(4, offset);
  }
  f64x2Splat(): this {
    return this.simd(0x14);
  }
  f64x2ExtractLane(lane: number): this {
    this.simd(0x21);
    this.code.push(lane);
    return this;
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Sub(): this {
    return this.simd(0xf1);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }

  /** The encoded body: local declarations, code, `end`. */
  encode(): number[] {
    const out: number[] = [];
    // One declaration per local keeps the encoder trivial (a few dozen locals at most).
    uleb(this.locals.length, out);
    for (const t of this.locals) out.push(1, t);
    append(out, this.code);
    out.push(0x0b);
    const sized: number[] = [];
    uleb(out.length, sized);
    return sized.concat(out);
  }
}

/** One exported function of a module. */
export interface WasmFunction {
  readonly name: string;
  readonly body: Body;
  readonly results: readonly ValType[];
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  append(out, content);
}

function vec(items: number[][]): number[] {
  const out: number[] = [];
  uleb(items.length, out);
  for (const it of items) append(out, it);
  return out;
}

function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  const out: number[] = [];
  uleb(bytes.length, out);
  return out.concat(bytes);
}

/** Bytes of a module importing memory `env.mem` (at least one page) and exporting `fns`. */
export function wasmModule(fns: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = fns.map((f) => {
    const t = [0x60];
    uleb(f.body.params.length, t);
    t.push(...f.body.params);
    uleb(f.results.length, t);
    t.push(...f.results);
    return t;
  });
  section(1, vec(types), out);
  // import "env" "mem": memory with min 1 page, no maximum
  section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x01]]), out);
  section(
    3,
    vec(
      fns.map((_, i) => {
        const t: number[] = [];
        uleb(i, t);
        return t;
      }),
    ),
    out,
  );
  section(
    7,
    vec(
      fns.map((f, i) => {
        const t = [...name(f.name), 0x00];
        uleb(i, t);
        return t;
      }),
    ),
    out,
  );
  section(10, vec(fns.map((f) => f.body.encode())), out);
  return new Uint8Array(out);
}
