// StudyTypes: the plain values every stage passes on (a pair of images, a labelled image set,
// the input error they throw, the attack protocol's choices that other stages name, the one
// parallel map) and the statistics every layer reads the same way (the sample summary with its
// one quantile function, Student's t, the concentration of a quantity over units). It sits at
// the bottom of the graph and imports nothing, so the attack, the analyses, the experiments and
// the figures all speak of the same values.
