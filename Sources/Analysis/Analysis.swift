// Analysis: what the study measures on a fixed network: activations, volatility, projections
// (mapBack, gradient rule, deconvnet), perturbation groups, each layer's concentration (by
// StudyTypes.Concentration), the paired tests (paired t, sign, Wilcoxon), Monte-Carlo probing and
// distortion moments. It imports Engine, StudyTypes and Random, and trains nothing.
