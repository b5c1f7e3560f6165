/* Internal view of a run plan (sr.h's SrPlan): everything a run decides
 * before it reads a pixel, worked out once by sr_plan_new (plan.c) and only
 * read afterwards, by the executor (upscale.c, chain.c, scheduler.c) and,
 * through sr.h's accessors, by the dialog's summary and time estimate. */
#ifndef SR_PLAN_H
#define SR_PLAN_H

#include "sr.h"
#include "tile-io.h"

/* One network over one image: a plan has one stage, a chain two. */
typedef struct
{
  const SrModel *model;
  int            in_w, in_h;     /* what the network reads: the stage's input, or for
                                  * a same-size model the input resized to the target */
  int            pad_w, pad_h;   /* that input as the network sees it (padded) */
  SrTileOutput   output;         /* its output size, the target and how to get there */
  GArray        *tiles;          /* of SrTile, row-major, in padded-input pixels */
  int            tile_w, tile_h; /* the tile size asked of the tiler */
  int            tiles_x, tiles_y;
  int            halo;
  int            workers;        /* tiles run at once */
  int            team_width;     /* threads each tile's layers may use */
  gint64         total_steps;    /* progress steps of the whole stage */
} SrPlanStage;

struct _SrPlan
{
  SrRoute     route;
  int         width, height;       /* the caller's input */
  int         target_w, target_h;  /* the result */
  int         threads;             /* resolved: never 0 */
  gboolean    tta, unclamped;     /* as planned: the job run must agree */
  int         n_stages;
  SrPlanStage stages[2];
  double      first_share;         /* a chain's progress taken by its first stage */
};

#endif
