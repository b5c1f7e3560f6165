/* sr_cache_trim and sr_shutdown: giving back what the core keeps between
 * runs.  A long-lived process (the GIMP 2.10 dialog, whose preview runs the
 * core many times) holds worker threads, each thread its convolution
 * scratch, and the arena's freed feature-map blocks after the last run;
 * these hand them back.  The next run makes them again. */
#include "sr.h"
#include "parallel.h"
#include "tensor.h"

void
sr_cache_trim (void)
{
  /* A freed pool's threads would go to GLib's shared list of idle threads
   * (the core's pool asks it to keep some); with room for none they end,
   * and ending ends their per-thread scratch too (GPrivate destructors).
   * The next pool asks for its idle threads again. */
  g_thread_pool_set_max_unused_threads (0);
  sr_parallel_shutdown ();
  g_thread_pool_stop_unused_threads ();
  /* The feature-map blocks kept for the next run (up to 1 GiB after a
   * large image): the most memory an idle dialog holds. */
  sr_arena_trim ();
}

void
sr_shutdown (void)
{
  sr_cache_trim ();
}
