// The Figures target; see ARCHITECTURE in README.md.
