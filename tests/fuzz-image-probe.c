/* libFuzzer target for the CLI's image reader front: the header probe
 * (tools/sr-image-probe.c) that identifies a file by content, reads its size
 * and walks its structure before any decoder sees it.  Any bytes must give a
 * verdict, never a crash; an accepted image has a plausible size.
 * Seeds: tests/fuzz-corpus/image (tiny PNG/JPEG/TIFF/WebP, whole and cut). */
#include <sys/mman.h>
#include <unistd.h>

#include "sr-image-probe.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  static int fd = -1;
  static char path[64];
  SrImageInfo info;
  GError *error = NULL;
  gboolean ok;

  /* The probe reads a path: one in-memory file, rewritten for each input. */
  if (fd < 0)
    {
      fd = memfd_create ("fuzz-image", 0);
      g_assert (fd >= 0);
      g_snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
    }
  g_assert (ftruncate (fd, 0) == 0);
  g_assert (pwrite (fd, data, size, 0) == (ssize_t) size);

  ok = sr_image_probe (path, &info, &error);
  g_assert (ok == (error == NULL));
  if (ok)
    g_assert (info.type != SR_IMAGE_UNKNOWN && info.width >= 1 && info.height >= 1);
  g_clear_error (&error);
  return 0;
}
