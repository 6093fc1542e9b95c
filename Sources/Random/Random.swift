// Random: xoshiro256** streams derived by name from one root seed, so every stage draws from
// its own stream. It imports nothing.
