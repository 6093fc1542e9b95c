// The Report target; see ARCHITECTURE in README.md.
