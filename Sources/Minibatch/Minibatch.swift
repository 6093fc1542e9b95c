// Minibatch: the network on minibatches (im2col + single-threaded OpenBLAS sgemm), for the
// benchmark's batched figures, set beside the batch-1 engine that the study runs. Nothing in the
// study uses it: its last bits depend on OpenBLAS's kernel family, which must not reach out/.
// Imports Engine (the model, the optimiser and the engine's shared semantics) and CBLAS only.
