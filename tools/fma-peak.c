/* fma-peak [SECONDS]: measures this CPU's single-core float FMA throughput
 * (GFLOP/s) with the widest vectors it has, so benchmarks can say how close
 * to the hardware the kernels get.  Many independent accumulators hide the
 * FMA latency; the result is printed as "fma_peak_gflops=<f> isa=<name>". */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>
#include <immintrin.h>

#define ACCS 12
#define ITERS 10000000L

__attribute__ ((target ("avx512f,fma"))) static double
run_avx512 (long iters)
{
  __m512 a = _mm512_set1_ps (0.999999f), b = _mm512_set1_ps (1e-7f);
  /* Named accumulators: an array would be kept in memory by the compiler. */
  __m512 x0 = a, x1 = b, x2 = a, x3 = b, x4 = a, x5 = b, x6 = a, x7 = b, x8 = a, x9 = b, x10 = a, x11 = b;
  for (long n = 0; n < iters; n++)
    {
      x0 = _mm512_fmadd_ps (x0, a, b); x1 = _mm512_fmadd_ps (x1, a, b);
      x2 = _mm512_fmadd_ps (x2, a, b); x3 = _mm512_fmadd_ps (x3, a, b);
      x4 = _mm512_fmadd_ps (x4, a, b); x5 = _mm512_fmadd_ps (x5, a, b);
      x6 = _mm512_fmadd_ps (x6, a, b); x7 = _mm512_fmadd_ps (x7, a, b);
      x8 = _mm512_fmadd_ps (x8, a, b); x9 = _mm512_fmadd_ps (x9, a, b);
      x10 = _mm512_fmadd_ps (x10, a, b); x11 = _mm512_fmadd_ps (x11, a, b);
      __asm__ volatile ("" : "+v" (x0), "+v" (x1), "+v" (x2), "+v" (x3), "+v" (x4), "+v" (x5));
    }
  x0 = _mm512_add_ps (_mm512_add_ps (_mm512_add_ps (x0, x1), _mm512_add_ps (x2, x3)),
                      _mm512_add_ps (_mm512_add_ps (x4, x5), _mm512_add_ps (x6, x7)));
  x0 = _mm512_add_ps (x0, _mm512_add_ps (_mm512_add_ps (x8, x9), _mm512_add_ps (x10, x11)));
  return _mm512_reduce_add_ps (x0);
}

__attribute__ ((target ("avx2,fma"))) static double
run_avx2 (long iters)
{
  __m256 a = _mm256_set1_ps (0.999999f), b = _mm256_set1_ps (1e-7f);
  __m256 x0 = a, x1 = b, x2 = a, x3 = b, x4 = a, x5 = b, x6 = a, x7 = b, x8 = a, x9 = b, x10 = a, x11 = b;
  float out[8], sink = 0;
  for (long n = 0; n < iters; n++)
    {
      x0 = _mm256_fmadd_ps (x0, a, b); x1 = _mm256_fmadd_ps (x1, a, b);
      x2 = _mm256_fmadd_ps (x2, a, b); x3 = _mm256_fmadd_ps (x3, a, b);
      x4 = _mm256_fmadd_ps (x4, a, b); x5 = _mm256_fmadd_ps (x5, a, b);
      x6 = _mm256_fmadd_ps (x6, a, b); x7 = _mm256_fmadd_ps (x7, a, b);
      x8 = _mm256_fmadd_ps (x8, a, b); x9 = _mm256_fmadd_ps (x9, a, b);
      x10 = _mm256_fmadd_ps (x10, a, b); x11 = _mm256_fmadd_ps (x11, a, b);
      __asm__ volatile ("" : "+v" (x0), "+v" (x1), "+v" (x2), "+v" (x3), "+v" (x4), "+v" (x5));
    }
  x0 = _mm256_add_ps (_mm256_add_ps (_mm256_add_ps (x0, x1), _mm256_add_ps (x2, x3)),
                      _mm256_add_ps (_mm256_add_ps (x4, x5), _mm256_add_ps (x6, x7)));
  x0 = _mm256_add_ps (x0, _mm256_add_ps (_mm256_add_ps (x8, x9), _mm256_add_ps (x10, x11)));
  _mm256_storeu_ps (out, x0);
  for (int j = 0; j < 8; j++)
    sink += out[j];
  return sink;
}

int
main (int argc, char **argv)
{
  gboolean avx512 = __builtin_cpu_supports ("avx512f");
  int lanes = avx512 ? 16 : 8;
  double best = 0;

  if (!avx512 && !__builtin_cpu_supports ("fma"))
    {
      printf ("fma_peak_gflops=0 isa=none\n");
      return 0;
    }
  for (int rep = 0; rep < 3; rep++)
    {
      gint64 t0 = g_get_monotonic_time ();
      volatile double sink = avx512 ? run_avx512 (ITERS) : run_avx2 (ITERS);
      double s = (g_get_monotonic_time () - t0) / 1e6;
      double gflops = 2.0 * lanes * ACCS * ITERS / s / 1e9;
      (void) sink;
      best = MAX (best, gflops);
    }
  printf ("fma_peak_gflops=%.1f isa=%s\n", best, avx512 ? "avx512" : "avx2");
  return 0;
}
