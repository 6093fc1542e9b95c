print("bench: not wired yet")
