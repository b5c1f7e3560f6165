/* Software prefetch plans for the convolutions.  A convolution reads one
 * short stretch per input-channel plane: more streams than the hardware
 * prefetchers follow.  So the input the next stretch of work will need is
 * fetched into L2 by the micro-kernels themselves (SrConvTile.pf): each
 * call is handed one cache-line column across a run of channels (a constant
 * stride), so the requests spread over the calls. */
#ifndef SR_PREFETCH_H
#define SR_PREFETCH_H

#include "kernels.h"

typedef struct
{
  const char *start;        /* channel 0, first row, first column; NULL: nothing to fetch */
  gsize       rstride, cstride;   /* bytes between rows, channels */
  int         lines, pairs; /* cache lines per row; rows x lines */
  int         channels, per_call;
  int         pair, c;      /* the next (row, line) and channel to hand out */
} SrPrefetch;

/* Plans to fetch rows [y0, y1) x columns [x0, x1) of every channel of @in
 * (clipped to it) over @calls calls.  With fewer calls than (row, line)
 * pairs, the last pairs are left to the hardware. */
static inline SrPrefetch
sr_prefetch_plan (const SrTensor *in, int y0, int y1, int x0, int x1, int calls)
{
  SrPrefetch p = { 0 };
  int calls_per_pair;

  y0 = MAX (0, y0);
  y1 = MIN (in->h, y1);
  x0 = MAX (0, x0);
  x1 = MIN (in->w, x1);
  if (y0 >= y1 || x0 >= x1 || calls <= 0)
    return p;
  p.start = (const char *) (sr_tensor_channel (in, 0) + (gsize) y0 * in->w + x0);
  p.rstride = (gsize) in->w * sizeof (float);
  p.cstride = sr_tensor_plane (in) * sizeof (float);
  p.lines = ((x1 - x0) * (int) sizeof (float) + 63) / 64 + 1;   /* not line-aligned */
  p.pairs = (y1 - y0) * p.lines;
  p.channels = in->c;
  calls_per_pair = MAX (1, calls / p.pairs);
  p.per_call = (in->c + calls_per_pair - 1) / calls_per_pair;
  return p;
}

/* Hands @tile the next piece of the plan. */
static inline void
sr_prefetch_next (SrPrefetch *p, SrConvTile *tile)
{
  tile->pf_n = 0;
  if (!p->start || p->pair >= p->pairs)
    return;
  tile->pf = p->start + (p->pair / p->lines) * p->rstride + (p->pair % p->lines) * 64 +
             p->c * p->cstride;
  tile->pf_stride = p->cstride;
  tile->pf_n = MIN (p->per_call, p->channels - p->c);
  p->c += tile->pf_n;
  if (p->c == p->channels)
    {
      p->c = 0;
      p->pair++;
    }
}

#endif
