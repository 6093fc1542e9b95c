// Analysis: what the study measures on a fixed network: activations, volatility, projections
// (mapBack, gradient rule, deconvnet), perturbation groups, concentration, the statistics (paired
// t, sign, Wilcoxon), Monte-Carlo probing and distortion moments. It imports Engine, StudyTypes and
// Random, and trains nothing.
