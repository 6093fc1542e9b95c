// Report: JSON values and serialisation, the Mustache templates, the manifest, the stage cache's
// files, the staging and atomic replacement of out/, interrupts and the summary diff. It imports
// Digest and swift-mustache and knows nothing of the study's science.
