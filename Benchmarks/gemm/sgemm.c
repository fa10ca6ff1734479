// sgemm GFLOP/s of one BLAS library on one thread, row-major C = A·B (NN) and A·Bᵀ (NT): square
// sizes and the shapes of the essay models and the tiny GPT. Built and run by Benchmarks/gemm/compare
// against each candidate (CBLAS_HEADER names its cblas.h, SGEMM its sgemm symbol); the best of five
// timed rounds is printed.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include CBLAS_HEADER
#ifndef SGEMM
#define SGEMM cblas_sgemm
#endif
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static void run(int m, int n, int k, int transB) {
    float *a = aligned_alloc(64, sizeof(float) * m * k), *b = aligned_alloc(64, sizeof(float) * k * n), *c = aligned_alloc(64, sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (float)(i % 7) * 0.1f;
    for (long i = 0; i < (long)k * n; i++) b[i] = (float)(i % 5) * 0.1f;
    double flops = 2.0 * m * n * k, best = 1e9;
    int reps = flops > 1e9 ? 3 : (int)(3e9 / flops) + 1;
    for (int round = 0; round < 5; round++) {
        double start = now();
        for (int r = 0; r < reps; r++)
            SGEMM(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k, 1, a, k, b, transB ? k : n, 0, c, n);
        double t = (now() - start) / reps;
        if (t < best) best = t;
    }
    printf("%5d x %5d x %5d %s  %7.1f GFLOP/s\n", m, n, k, transB ? "NT" : "NN", flops / best / 1e9);
    free(a); free(b); free(c);
}
int main(void) {
    int sizes[] = {64, 128, 256, 512, 1024, 2048};
    for (int i = 0; i < 6; i++) run(sizes[i], sizes[i], sizes[i], 0);
    run(64, 120, 3136, 1);    // essay CNN fc1 forward (batch 64)
    run(64, 512, 128, 1);     // LSTM recurrent gates (batch 64, hidden 128)
    run(2048, 384, 128, 1);   // tiny GPT c_attn (32×64 tokens, embed 128)
    run(2048, 512, 128, 1);   // tiny GPT mlp.c_fc
    run(2048, 117, 128, 1);   // tiny GPT head
    run(784, 16, 9, 0);       // conv im2col (28×28 positions, 16 filters, 3×3)
    return 0;
}
