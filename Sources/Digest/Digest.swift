// Digest: SHA-256, for data checksums, cache entries, the manifest and the code digest. It
// imports nothing.
