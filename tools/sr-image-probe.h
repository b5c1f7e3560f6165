/* sr-image-probe: what an image file is, how large it says it is, and
 * whether its structure is complete -- read from the headers alone, without
 * decoding a pixel.
 *
 * The CLI uses it to pick a decoder by content (never by name, never an
 * external-program fallback), to apply its pixel budget before decoding, to
 * refuse truncated files up front, and to check a freshly written output
 * before it is renamed over the target. */
#ifndef SR_IMAGE_PROBE_H
#define SR_IMAGE_PROBE_H

#include <glib.h>

typedef enum
{
  SR_IMAGE_UNKNOWN,
  SR_IMAGE_PNG,
  SR_IMAGE_JPEG,
  SR_IMAGE_TIFF,
  SR_IMAGE_WEBP
} SrImageType;

typedef struct
{
  SrImageType type;
  gint64      width, height;   /* as the header says; both >= 1 on success */
} SrImageInfo;

/* Identifies @path by its first bytes, reads its size from the header and
 * walks its structure (PNG chunks to IEND, JPEG markers to EOI, TIFF strip or
 * tile extents, the WebP RIFF length) so a file cut short is refused here.
 * Reads the file with plain reads (no mmap: a file changed under us must not
 * SIGBUS), a few bytes per chunk except for a JPEG's entropy-coded data.
 * FALSE with @error (G_FILE_ERROR) for anything that is not a complete image
 * of a supported type; the message names @path. */
gboolean     sr_image_probe (const char *path, SrImageInfo *info, GError **error);

/* The same on an open file (read with pread: the offset is left alone);
 * @path is for messages. */
gboolean     sr_image_probe_fd (int fd, const char *path, SrImageInfo *info, GError **error);

/* The type an output file name asks for, by its extension (case-insensitive):
 * .png, .jpg/.jpeg, .tif/.tiff, .webp; SR_IMAGE_UNKNOWN otherwise. */
SrImageType  sr_image_type_for_name (const char *path);

/* "PNG", "JPEG", ... for messages. */
const char  *sr_image_type_name (SrImageType type);

/* The GEGL operation that decodes this type ("gegl:png-load", ...). */
const char  *sr_image_loader (SrImageType type);

/* Largest side the format (and its encoder as GEGL drives it) can write. */
gint64       sr_image_max_side (SrImageType type);

#endif
