#ifndef SEGEVAL_CPNG_H
#define SEGEVAL_CPNG_H

#include <stddef.h>
#include <stdint.h>

/// A PNG decoded with libpng's classic API and no value transforms:
/// palette images keep their indices, 16-bit samples stay exact (host order),
/// 1/2/4-bit samples are unpacked to one byte each without scaling, and gAMA/sRGB
/// chunks are ignored. Interlaced images are de-interlaced.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;       ///< 1, 2, 4, 8 or 16, as stored in the file.
    int color_type;      ///< PNG_COLOR_TYPE_* as stored (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA).
    int channels;        ///< Samples per pixel (palette: 1).
    size_t bytes_per_sample; ///< 1 for bit depths <= 8, 2 for 16.
    void *samples;       ///< width*height*channels samples, row-major, uint8_t or uint16_t (host order).
    uint8_t *palette;    ///< Color type 3: the PLTE entries as RGB triples (malloc'ed); NULL otherwise.
    int palette_count;   ///< Number of PLTE entries (0 when there is no palette).
} cpng_image;

/// What a call ended in; every failure also leaves a message in `errbuf`.
typedef enum {
    CPNG_OK = 0,
    /// libpng refused the data (corrupt, truncated, or not what the format allows).
    CPNG_CORRUPT = 1,
    CPNG_OUT_OF_MEMORY = 2,
    CPNG_CANNOT_OPEN = 3,
    /// Too short for a PNG, or no PNG signature.
    CPNG_NOT_PNG = 4,
    /// Its size in bytes does not fit this machine's address space.
    CPNG_TOO_LARGE = 5,
    /// Its header declares more pixels than the caller's limit (checked before any allocation).
    CPNG_TOO_MANY_PIXELS = 6,
} cpng_status;

/// Errors are returned as a non-zero `cpng_status` with a message in `errbuf`; nothing longjmps out.
/// `max_pixels` > 0 refuses an image whose header declares more pixels (width x height), before
/// any pixel memory is allocated; the message then gives the width and height.
int cpng_read_file(const char *path, uint64_t max_pixels, cpng_image *out, char *errbuf, size_t errlen);

/// Like cpng_read_file, from a memory buffer.
int cpng_read_memory(const uint8_t *bytes, size_t length, uint64_t max_pixels, cpng_image *out, char *errbuf, size_t errlen);

void cpng_free(cpng_image *image);

/// Encodes `samples` (one sample per byte for bit depths <= 8, host-order uint16 for 16)
/// as a PNG in memory. `palette_rgb` holds `palette_count` RGB triples for color type 3.
/// `gamma` > 0 writes a gAMA chunk and `interlaced` != 0 writes Adam7 (tests use both to check
/// reading).
/// `software`, when not NULL, is written as a tEXt chunk with the keyword "Software" before the
/// image data (where `cpng_read_software` finds it).
/// On success *out_bytes is malloc'ed (free with cpng_free_buffer).
int cpng_encode(uint32_t width, uint32_t height, int bit_depth, int color_type,
                const void *samples, const uint8_t *palette_rgb, int palette_count,
                double gamma, int compression_level, int interlaced, const char *software,
                uint8_t **out_bytes, size_t *out_length, char *errbuf, size_t errlen);

/// Reads the chunks of the PNG file at `path` before its image data (no pixels are decoded) and
/// copies the text of its first "Software" tEXt/zTXt/iTXt chunk into `text` (truncated to
/// `textlen` - 1 bytes, NUL-terminated). An empty `text` with CPNG_OK: the file has no such chunk.
int cpng_read_software(const char *path, char *text, size_t textlen, char *errbuf, size_t errlen);

void cpng_free_buffer(uint8_t *bytes);

#endif
