// Attacks: L-BFGS-B over Debian's liblbfgsb (with lbfgsb.lua's loop), the author's C search and
// the minimal-distortion variant, FGSM and fooling images, and the pair files. L-BFGS-B's BLAS calls
// run on CPortableBLAS (sequential, CPU-independent). It imports Engine, StudyTypes and Random; the
// study decides which images to attack.
