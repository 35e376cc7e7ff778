#ifndef PRUNEKIT_NOTEBOOK_SHIMS_H
#define PRUNEKIT_NOTEBOOK_SHIMS_H

/// Makes the C standard output stream line-buffered, so that Swift's `print` reaches a pipe line by
/// line (C's `stdout` is a global variable that Swift 6 code cannot name).
void prunekit_notebook_line_buffer_stdout(void);

/// Flushes the C standard output stream.
void prunekit_notebook_flush_stdout(void);

#endif
