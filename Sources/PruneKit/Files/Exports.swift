/// ``AtomicFile`` lives in its own module, which ``PruneKitCharts`` shares without depending on
/// PruneKit; PruneKit re-exports it, so `import PruneKit` is all its users need.
@_exported import PruneKitFiles
