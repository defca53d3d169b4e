/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The built-in profile of a GPU as the published tables name it
 * ("H100 80GB HBM3", "MI300X (ND MI300X v5)", "A100-SXM4-80GB"): one
 * table for every loader of validation/, so that a GPU the corpus names
 * is read the same way in its GEMM, attention, serving, training and
 * collective rows. */
#ifndef ROOF_VALIDATION_GPU_NAMES_H
#define ROOF_VALIDATION_GPU_NAMES_H

/* The profile name ("h100-sxm"), or NULL when no built-in profile
 * models that GPU (GH200, A100 PCIe) or the name is not known. */
const char *roof_pub_profile_of(const char *gpu);

/* The profiles the cross-validation predicts on, fitting their fractions
 * where it has rows for them (validation/gpu_cv.c; H100 NVL and L40 have
 * serving rows only, so they keep their shipped values in every fold;
 * MI325X's 16-bit fraction is fitted on its one GEMM row, MAMF's, and
 * takes the fold's MI300X values where that source is held out; L40S and
 * RTX PRO 6000 have GEMM rows of one source, AIConfigurator's), and
 * whether name is one of them. */
#define ROOF_CV_PROFILES 12
extern const char *const roof_pub_cv_profiles[ROOF_CV_PROFILES];
int roof_pub_cv_profile(const char *name);

#endif
