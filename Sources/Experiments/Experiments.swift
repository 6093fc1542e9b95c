// Experiments: everything that trains a network: base training (the author's protocol), the
// hardening grid with selective dropout, the sensitivity runs, Darwinian rounds and the transfer net.
// It imports Engine, Analysis, StudyTypes, Random and MNIST; attacks reach it as closures from Study.
