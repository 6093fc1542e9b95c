print("report: not wired yet")
