#include "notebook_shims.h"
#include <stdio.h>

void prunekit_notebook_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

void prunekit_notebook_flush_stdout(void) { fflush(stdout); }
