/*
 * sim_dec.h — decimal numbers as marketplaces send them in text: ids of
 * digits only, and amounts that may carry an all-zero fraction ("150000.00").
 * The limits differ by marketplace (18 digits where ids stay below 2^63 by
 * construction, 19 for TikTok's 19-digit ids), so each caller names its own.
 */
#ifndef OCOP_SIM_DEC_H
#define OCOP_SIM_DEC_H

#include <stddef.h>
#include <stdint.h>

/* 0 and *out when s is 1..max_digits decimal digits that fit an int64. */
int sim_dec_digits(const char *s, size_t max_digits, int64_t *out);

/* 0 and *out when s is such digits with an optional '.' and a non-empty
 * fraction of zeros. */
int sim_dec_amount(const char *s, size_t max_digits, int64_t *out);

#endif
