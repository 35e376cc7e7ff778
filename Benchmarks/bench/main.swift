import PruneKit
print("bench: not yet wired")
