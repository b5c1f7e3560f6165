/* The core's one thread pool (core/parallel.h): layer splitting covers
 * every part exactly once, also nested inside team helpers the way tile
 * workers split their layers (no deadlock, however the pool's threads are
 * taken), and a joined team lets no helper start after the join. */
#include "parallel.h"

#define N_PARTS 997   /* not a multiple of any width */

typedef struct
{
  gint counts[N_PARTS];
} Parts;

static void
count_part (gpointer data, int part, int n_parts)
{
  Parts *parts = data;

  g_assert_cmpint (n_parts, ==, N_PARTS);
  g_atomic_int_inc (&parts->counts[part]);
}

static void
assert_each_once (const Parts *parts)
{
  for (int p = 0; p < N_PARTS; p++)
    g_assert_cmpint (parts->counts[p], ==, 1);
}

static void
test_for_covers_parts_once (void)
{
  for (int width = 1; width <= 8; width++)
    {
      Parts *parts = g_new0 (Parts, 1);

      sr_parallel_set_width (width);
      sr_parallel_for (N_PARTS, count_part, parts);
      assert_each_once (parts);
      g_free (parts);
    }
  sr_parallel_set_width (1);
}

/* Four helpers of one team (tile workers), each splitting its own "layers"
 * four ways in the same pool, many times over. */
typedef struct
{
  Parts *per_member[5];
  gint   members_ran;
} Nested;

static void
nested_member (gpointer data, int index, int count)
{
  Nested *n = data;

  g_assert_cmpint (count, ==, 5);
  g_assert_cmpint (index, >=, 1);
  g_assert_cmpint (index, <, count);
  sr_parallel_set_width (4);
  sr_parallel_for (N_PARTS, count_part, n->per_member[index]);
  g_atomic_int_inc (&n->members_ran);
}

static void
test_nested_split_in_team (void)
{
  for (int round = 0; round < 50; round++)
    {
      Nested n = { { NULL } };
      SrTeam *team;
      int queued = -1;

      for (int m = 0; m < 5; m++)
        n.per_member[m] = g_new0 (Parts, 1);
      team = sr_team_start (4, nested_member, &n, &queued, NULL);
      g_assert_cmpint (queued, ==, 4);
      /* The starter splits its own layers meanwhile. */
      sr_parallel_set_width (4);
      sr_parallel_for (N_PARTS, count_part, n.per_member[0]);
      sr_parallel_set_width (1);
      sr_team_join (team);
      assert_each_once (n.per_member[0]);
      /* Helpers that started ran whole; those that did not, not at all. */
      for (int m = 1; m < 5; m++)
        {
          int sum = 0;
          for (int p = 0; p < N_PARTS; p++)
            sum += n.per_member[m]->counts[p];
          g_assert_true (sum == 0 || sum == N_PARTS);
        }
      for (int m = 0; m < 5; m++)
        g_free (n.per_member[m]);
    }
}

/* After sr_team_join returns no helper touches the team's data: a helper
 * that had not started by then never runs (it would find the data freed). */
static void
record_member (gpointer data, int index, int count)
{
  g_atomic_int_inc ((gint *) data);
}

static void
test_join_closes_team (void)
{
  for (int round = 0; round < 200; round++)
    {
      gint *ran = g_new0 (gint, 1);
      SrTeam *team = sr_team_start (3, record_member, ran, NULL, NULL);
      int at_join;

      sr_team_join (team);
      at_join = g_atomic_int_get (ran);
      g_assert_cmpint (at_join, <=, 3);
      g_usleep (round % 20 == 0 ? 20000 : 0);
      g_assert_cmpint (g_atomic_int_get (ran), ==, at_join);
      g_free (ran);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parallel/for-covers-parts-once", test_for_covers_parts_once);
  g_test_add_func ("/parallel/nested-split-in-team", test_nested_split_in_team);
  g_test_add_func ("/parallel/join-closes-team", test_join_closes_team);
  return g_test_run ();
}
