// The Study target; see ARCHITECTURE in README.md.
