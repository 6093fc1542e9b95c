// The Attacks target; see ARCHITECTURE in README.md.
