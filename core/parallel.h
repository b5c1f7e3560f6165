/* The core's one thread pool, and splitting one layer across threads.
 *
 * Everything the core runs on other threads goes through one process-wide
 * pool: the scheduler's tile workers (scheduler.c) and the helpers that
 * split a layer's rows (sr_parallel_for).  Work is handed out as a team: the
 * thread that starts it is member 0, and up to n helpers join from the pool
 * as threads come free, each with its index (ggml's (ith, nth)).  A team's
 * starter never waits for a helper that has not started: sr_team_join
 * closes the team first, so a late helper finds it closed and leaves.
 * That is why tile workers may split their layers in the same pool without
 * a deadlock, however few threads it has: no pool thread ever waits for a
 * task still queued, only for members already running (see parallel.c).
 *
 * A tile worker says how many threads its layers may use
 * (sr_parallel_set_width); layers then split their rows into parts that
 * the worker and its helpers run together.  Each output element is still
 * computed by exactly one part with the same arithmetic, so results do not
 * depend on the split. */
#ifndef SR_PARALLEL_H
#define SR_PARALLEL_H

#include <glib.h>

/* A team member's work: @index is 1..count-1 for helpers (0 is the
 * starter, which does its own share itself), @count the team's size. */
typedef void (*SrMemberFunc) (gpointer data, int index, int count);

typedef struct _SrTeam SrTeam;

/* Asks the pool for up to @n_helpers helpers running fn (data, index,
 * n_helpers + 1), and returns at once.  *@queued (may be NULL): how many
 * were handed to a pool thread; the others may never run (no thread could
 * start), which sr_team_join copes with.  Each helper runs with layer
 * width 1 unless @fn sets its own. */
SrTeam *sr_team_start (int n_helpers, SrMemberFunc fn, gpointer data, int *queued, GError **error);
/* Closes @team (helpers not started by now never start) and waits for the
 * helpers that did; frees it.  After this nothing touches @data. */
void    sr_team_join  (SrTeam *team);

typedef void (*SrPartFunc) (gpointer data, int part, int n_parts);

/* Threads the calling thread's layers may use (1 = run everything inline). */
void sr_parallel_set_width (int width);
int  sr_parallel_width     (void);

/* Runs fn (data, p, n_parts) for every p in [0, n_parts), on up to
 * sr_parallel_width () threads including the caller; returns when all ran. */
void sr_parallel_for (int n_parts, SrPartFunc fn, gpointer data);

/* Frees the pool (made again when next needed); never during a run.  Part
 * of sr_shutdown / sr_cache_trim. */
void sr_parallel_shutdown (void);

#endif
