import PruneKitNotebook

cell("placeholder")
print("todo")
