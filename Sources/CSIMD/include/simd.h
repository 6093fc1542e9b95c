// Vector helpers for the engine's hot loops, compiled inline into Swift.
//
// Why C: clang lowers `__builtin_elementwise_fma` on a 16-float vector to one fused
// multiply-add instruction (AVX-512) or two (AVX2), while Swift's SIMD16<Float> arithmetic with
// many live accumulators spilled registers. The vector types import as SIMD16<Float>,
// SIMD8<Float> and SIMD16<Int32>. Without FMA hardware (a portable x86-64 build) the helpers fall
// back to a separate multiply and add, so results differ in the last bits from an FMA build.
#ifndef ENGINE_SIMD_H
#define ENGINE_SIMD_H

typedef float engine_float16 __attribute__((ext_vector_type(16)));
typedef float engine_float8 __attribute__((ext_vector_type(8)));
typedef int engine_int16 __attribute__((ext_vector_type(16)));

#define ENGINE_INLINE static inline __attribute__((always_inline))

// Every helper is inlined, so no vector argument crosses a call: clang's warning that a 16-lane
// argument without AVX-512 (or 8 lanes without AVX) "changes the ABI" does not apply here.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpsabi"

// a * b + c lane by lane: fused (one rounding) where the target has FMA (x86 with FMA3, every
// 64-bit Arm); elsewhere a multiply, then an add, each rounded. The fallback turns off clang's
// contraction: left on, clang fused the two where it folded constants and not where it did not,
// so a result depended on what the compiler could see (measured: `fma16` and `fmas16` gave
// different bits for the same constant inputs in a portable build).
#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
#define ENGINE_FUSED 1
#define ENGINE_MULTIPLY_ADD(a, b, c) return __builtin_elementwise_fma(a, b, c)
#else
#define ENGINE_FUSED 0
#define ENGINE_MULTIPLY_ADD(a, b, c) _Pragma("clang fp contract(off)") return (a) * (b) + (c)
#endif

/// 1 where `fma16` and `fma8` round once (a fused multiply-add), 0 where they round twice.
ENGINE_INLINE int engine_fma_is_fused(void) { return ENGINE_FUSED; }

/// a * b + c over 16 lanes, fused where the target has FMA.
ENGINE_INLINE engine_float16 fma16(engine_float16 a, engine_float16 b, engine_float16 c) { ENGINE_MULTIPLY_ADD(a, b, c); }

/// a * b + c over 8 lanes, fused where the target has FMA.
ENGINE_INLINE engine_float8 fma8(engine_float8 a, engine_float8 b, engine_float8 c) { ENGINE_MULTIPLY_ADD(a, b, c); }

/// s * b + c with a scalar s broadcast to every lane.
ENGINE_INLINE engine_float16 fmas16(float s, engine_float16 b, engine_float16 c) {
    return fma16((engine_float16)s, b, c);
}

ENGINE_INLINE engine_float8 fmas8(float s, engine_float8 b, engine_float8 c) {
    return fma8((engine_float8)s, b, c);
}

ENGINE_INLINE engine_float16 load16(const float *p) {
    engine_float16 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

ENGINE_INLINE void store16(float *p, engine_float16 v) { __builtin_memcpy(p, &v, sizeof v); }

ENGINE_INLINE engine_float8 load8(const float *p) {
    engine_float8 v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

ENGINE_INLINE void store8(float *p, engine_float8 v) { __builtin_memcpy(p, &v, sizeof v); }

/// Sum of the 16 lanes as a fixed pairwise tree (deterministic, independent of the target).
ENGINE_INLINE float sum16(engine_float16 v) {
    engine_float8 a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7)
                    + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    typedef float f4 __attribute__((ext_vector_type(4)));
    f4 b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
    float c0 = b[0] + b[2], c1 = b[1] + b[3];
    return c0 + c1;
}

/// Sum of the 8 lanes as a fixed pairwise tree.
ENGINE_INLINE float sum8(engine_float8 v) {
    typedef float f4 __attribute__((ext_vector_type(4)));
    f4 b = __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
    float c0 = b[0] + b[2], c1 = b[1] + b[3];
    return c0 + c1;
}

typedef int engine_int8 __attribute__((ext_vector_type(8)));

/// The lane-wise maximum a > b ? a : b: one `maxps` (whose rule this is), where the compiler's
/// fmax-style maximum takes three. The two differ only at a NaN (fmax passes over it; this
/// returns b, so a NaN in b goes on to training's divergence check) and at a +0/-0 tie (this
/// returns b; fmax either zero, as the compiler chooses).
ENGINE_INLINE engine_float16 max16(engine_float16 a, engine_float16 b) {
    engine_int16 greater = a > b;
    return (engine_float16)(((engine_int16)a & greater) | ((engine_int16)b & ~greater));
}

/// The 8-lane `max16`.
ENGINE_INLINE engine_float8 max8(engine_float8 a, engine_float8 b) {
    engine_int8 greater = a > b;
    return (engine_float8)(((engine_int8)a & greater) | ((engine_int8)b & ~greater));
}

/// max(v, 0) lane by lane.
ENGINE_INLINE engine_float16 relu16(engine_float16 v) {
    return max16(v, (engine_float16)0.0f);
}

/// v where gate > 0, else +0, without a branch (a ReLU's backward gate, over a pooled value).
ENGINE_INLINE engine_float16 passWherePositive16(engine_float16 gate, engine_float16 v) {
    return (engine_float16)((engine_int16)v & (gate > 0.0f));
}

ENGINE_INLINE engine_float8 passWherePositive8(engine_float8 gate, engine_float8 v) {
    typedef int i8 __attribute__((ext_vector_type(8)));
    return (engine_float8)((i8)v & (gate > 0.0f));
}

/// One step of a running first maximum over candidates: the lanes where `v > best` record
/// `index`; ties keep the earlier candidate (Torch's max-pool rule). Update `best` with max16.
ENGINE_INLINE engine_int16 argmaxIndex16(engine_float16 best, engine_int16 which, engine_float16 v, int index) {
    engine_int16 greater = v > best;
    return (greater & index) | (~greater & which);
}

/// max(v, 0) over 8 lanes.
ENGINE_INLINE engine_float8 relu8(engine_float8 v) {
    return max8(v, (engine_float8)0.0f);
}

/// The 8-lane `argmaxIndex16` (the same rule lane by lane).
ENGINE_INLINE engine_int8 argmaxIndex8(engine_float8 best, engine_int8 which, engine_float8 v, int index) {
    engine_int8 greater = v > best;
    return (greater & index) | (~greater & which);
}

// Two-thread step signals (C11-style atomics on plain longs, via clang's builtins: Swift's
// `Synchronization.Atomic` needs macOS 15, the package supports macOS 13).

/// *p, read with acquire ordering: writes made before the matching release are visible.
ENGINE_INLINE long engine_load_acquire(const long *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

/// *p = v with release ordering: every earlier write is visible to an acquiring reader of v.
ENGINE_INLINE void engine_store_release(long *p, long v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

/// A spin-wait hint (x86 `pause`): lets the sibling hyperthread run and saves power while spinning.
ENGINE_INLINE void engine_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#pragma clang diagnostic pop

#endif
