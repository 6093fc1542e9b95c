// Engine: the study's CNN at batch size 1 (fast SIMD kernels, FastKernels for AVX-512 and
// FastKernels8 for AVX2, bit-identical), the slow Reference* path that is their test oracle,
// Torch's SGD and the unit masks of selective dropout. The semantics (normalise, log-softmax,
// NLL gradient, first maximum) live once in Semantics.swift, public so that the benchmark's
// minibatch engine (target Minibatch) shares them. It owns no data format and knows no stage; it
// imports only Random and the CBLAS (OpenBLAS's thread pinning) / CSIMD shims.
