/* Splitting one layer across threads, for images too small to give every
 * thread a tile of its own.  A tile worker says how many threads it may use
 * (sr_parallel_set_width); layers then split their rows into parts that a
 * shared pool and the calling thread run together.  Each output element is
 * still computed by exactly one part with the same arithmetic, so results do
 * not depend on the split. */
#ifndef SR_PARALLEL_H
#define SR_PARALLEL_H

#include <glib.h>

typedef void (*SrPartFunc) (gpointer data, int part, int n_parts);

/* Threads the calling thread's layers may use (1 = run everything inline). */
void sr_parallel_set_width (int width);
int  sr_parallel_width     (void);

/* Runs fn (data, p, n_parts) for every p in [0, n_parts), on up to
 * sr_parallel_width () threads including the caller; returns when all ran. */
void sr_parallel_for (int n_parts, SrPartFunc fn, gpointer data);

/* Frees the helper pool (made again when next needed); never while a layer
 * runs.  Part of sr_shutdown / sr_cache_trim. */
void sr_parallel_shutdown (void);

#endif
