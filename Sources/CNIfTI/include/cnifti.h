#ifndef CNIFTI_H
#define CNIFTI_H
#include <stddef.h>
#include <stdint.h>

// A thin wrapper of Debian's nifticlib (libnifti2-dev, the nifti2_io API: NIfTI-1 and NIfTI-2,
// .nii and .nii.gz, byte-swapped on big-endian files). nifticlib's headers need
// -I/usr/include/nifti, which only this target's C file sees; Swift sees the few fields below.

/// The header fields segeval uses, as nifticlib's nifti_image holds them (pixdim widened to
/// double, 0 replaced by 1; qto_xyz rebuilt from pixdim when qform_code is 0).
typedef struct {
    int64_t dim[8];
    int datatype;
    int nbyper;
    double pixdim[8];
    double scl_slope;
    double scl_inter;
    int qform_code;
    int sform_code;
    double qto_xyz[16];
    double sto_xyz[16];
    int xyz_units;
    int nifti_type;
    int64_t iname_offset;
} cnifti_header;

/// Reads up to `capacity` bytes from the start of the (possibly gzipped) file; returns how many,
/// -1 if it cannot be opened.
int cnifti_peek(const char *path, unsigned char *bytes, int capacity);

/// Reads the header only (no voxel data); NULL on failure. Free with cnifti_free.
void *cnifti_read_header(const char *path, cnifti_header *header);

/// Reads the voxel data (nbyper * nvox bytes, native byte order); NULL on failure. Owned by the image.
void *cnifti_load(void *image);

void cnifti_free(void *image);

#endif
