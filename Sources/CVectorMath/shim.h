// One fused multiply-add on eight floats, for FastMath's vector kernels. Swift's
// SIMD8<Float>.addingProduct is a generic loop of eight scalar fmas that LLVM's SLP vectoriser
// reassembles only in part (lanes split across xmm, ymm and scalar registers: the LSTM cell ran
// at a third of its speed); this is the single llvm.fma.v8f32 it should have been, with the same
// one rounding per lane as the scalar FastMath code. Header only: nothing to link.
#ifndef TENSORBOOK_CVECTORMATH_H
#define TENSORBOOK_CVECTORMATH_H

/// Eight floats; Swift imports it as SIMD8<Float>.
typedef float tensorbook_float8 __attribute__((ext_vector_type(8)));

/// a·b + c per lane, rounded once.
static inline __attribute__((always_inline)) tensorbook_float8
tensorbook_fma8(tensorbook_float8 a, tensorbook_float8 b, tensorbook_float8 c) {
    return __builtin_elementwise_fma(a, b, c);
}

#endif
