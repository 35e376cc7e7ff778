import PruneKit
print("report: not yet wired")
