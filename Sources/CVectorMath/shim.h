// A fused multiply-add and a square root on eight floats, for the engine's vector kernels. Swift's
// SIMD8<Float>.addingProduct is a generic loop of eight scalar fmas that LLVM's SLP vectoriser
// reassembles only in part (lanes split across xmm, ymm and scalar registers: the LSTM cell ran
// at a third of its speed), and SIMD's squareRoot() stays one scalar vsqrtss per lane (Adam);
// these are the single llvm.fma.v8f32 / llvm.sqrt.v8f32 they should have been, rounded as the
// scalar code is. Header only: nothing to link.
#ifndef TENSORBOOK_CVECTORMATH_H
#define TENSORBOOK_CVECTORMATH_H

/// Eight floats; Swift imports it as SIMD8<Float>.
typedef float tensorbook_float8 __attribute__((ext_vector_type(8)));

/// a·b + c per lane, rounded once.
static inline __attribute__((always_inline)) tensorbook_float8
tensorbook_fma8(tensorbook_float8 a, tensorbook_float8 b, tensorbook_float8 c) {
    return __builtin_elementwise_fma(a, b, c);
}

/// √x per lane, correctly rounded (vsqrtps): SIMD's generic squareRoot() became 16 scalar vsqrtss.
static inline __attribute__((always_inline)) tensorbook_float8
tensorbook_sqrt8(tensorbook_float8 x) {
    return __builtin_elementwise_sqrt(x);
}

#endif
