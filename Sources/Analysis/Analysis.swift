// The Analysis target; see ARCHITECTURE in README.md.
