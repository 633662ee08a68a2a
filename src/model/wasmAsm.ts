/**
 * The WebAssembly assembler lives in `src/numerics/wasmAsm.ts` (shared with src/linalg);
 * the tensor kernels add the float32 instructions of their f32x4 path here (same
 * encodings as the core spec §5.4 and the fixed-width SIMD proposal).
 */
import { Body as BaseBody } from '../numerics/wasmAsm.ts';

export * from '../numerics/wasmAsm.ts';

/** `Body` plus the float32 scalar and f32x4 instructions. */
export class Body extends BaseBody {
  private simd32(opcode: number, ...imm: number[]): this {
    // SIMD opcodes are a 0xfd prefix and a LEB128 u32 (two bytes from 0x80).
    this.code.push(0xfd, ...(opcode < 0x80 ? [opcode] : [(opcode & 0x7f) | 0x80, opcode >> 7]), ...imm);
    return this;
  }
  /** i32.and. */
  and(): this {
    this.code.push(0x71);
    return this;
  }
  /** v128.const of four i32 lanes. */
  v128ConstI32(lanes: readonly [number, number, number, number]): this {
    const bytes = new Uint8Array(Int32Array.from(lanes).buffer);
    return this.simd32(0x0c, ...bytes);
  }
  /** i8x16.shuffle of the two vectors on the stack (lane indices 0…31). */
  i8x16Shuffle(lanes: readonly number[]): this {
    return this.simd32(0x0d, ...lanes);
  }
  v128And(): this {
    return this.simd32(0x4e);
  }
  i32x4Splat(): this {
    return this.simd32(0x11);
  }
  i32x4GeS(): this {
    return this.simd32(0x3f);
  }
  /** i32.ge_u. */
  geU(): this {
    this.code.push(0x4f);
    return this;
  }
  /** f32.store, natural alignment (2^2), offset 0. */
  f32Store(): this {
    this.code.push(0x38, 2, 0);
    return this;
  }
  /** f32.demote_f64 (round to nearest). */
  demote(): this {
    this.code.push(0xb6);
    return this;
  }
  f32x4Splat(): this {
    return this.simd32(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd32(0x1f, lane);
  }
  f32x4Add(): this {
    return this.simd32(0xe4);
  }
  f32x4Mul(): this {
    return this.simd32(0xe6);
  }
}
