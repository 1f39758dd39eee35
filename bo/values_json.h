/*
 * values_json.h — an assignment (bo_value array) as a JSON object, the form
 * in which trials are stored, exported and shown. Doubles keep every bit:
 * they are written with %.17g.
 */
#ifndef BO_VALUES_JSON_H
#define BO_VALUES_JSON_H

#include "bo/bo.h"

/* A malloc'd compact JSON object {"name": value, ...}, or NULL when out of
 * memory or a double is not finite. */
char *bo_values_to_json(const bo_value *values, size_t n);

/* A number for people (bo run's summary, bo show's table): a whole number
 * in full, so that an int parameter copied from there is the one that
 * ran; anything else to 6 significant digits (bo export has every bit).
 * buf holds at least 32 bytes. */
void bo_number_for_people(double x, char *buf, size_t len);

#endif
