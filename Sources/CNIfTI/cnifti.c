#include "cnifti.h"
#include <string.h>
#include <nifti2_io.h>
#include <znzlib.h>

int cnifti_peek(const char *path, unsigned char *bytes, int capacity) {
    znzFile file = znzopen(path, "rb", 1);
    if (znz_isnull(file)) return -1;
    size_t count = znzread(bytes, 1, (size_t)capacity, file);
    znzclose(file);
    return (int)count;
}

void *cnifti_read_header(const char *path, cnifti_header *header) {
    static int silenced = 0;
    if (!silenced) { nifti_set_debug_level(0); silenced = 1; }   // segeval words every error itself
    nifti_image *image = nifti_image_read(path, 0);
    if (!image) return NULL;
    memset(header, 0, sizeof *header);
    for (int i = 0; i < 8; i++) { header->dim[i] = image->dim[i]; header->pixdim[i] = image->pixdim[i]; }
    header->datatype = image->datatype;
    header->nbyper = image->nbyper;
    header->scl_slope = image->scl_slope;
    header->scl_inter = image->scl_inter;
    header->qform_code = image->qform_code;
    header->sform_code = image->sform_code;
    for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
            header->qto_xyz[4 * r + c] = image->qto_xyz.m[r][c];
            header->sto_xyz[4 * r + c] = image->sto_xyz.m[r][c];
        }
    }
    header->xyz_units = image->xyz_units;
    header->nifti_type = image->nifti_type;
    header->iname_offset = image->iname_offset;
    return image;
}

void *cnifti_load(void *image) {
    nifti_image *nim = image;
    if (nifti_image_load(nim) != 0) return NULL;
    return nim->data;
}

void cnifti_free(void *image) {
    nifti_image_free(image);
}
