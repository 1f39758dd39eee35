/*
 * json_exact.h — JSON text of a cJSON tree whose numbers read back as the
 * very doubles parsed. cJSON prints 15 significant digits whenever they
 * read back within a relative DBL_EPSILON, which is not the same double
 * (3.0000000000000004 came out as 3), and whole numbers past 2^53 in
 * exponent form (9007199254740992 as 9.00719925474099e+15, which strtoll
 * reads as 9). An objective's config is promised "as is".
 *
 * Header-only (static inline): the program plugin, built apart from
 * libbo, uses it too.
 */
#ifndef BO_JSON_EXACT_H
#define BO_JSON_EXACT_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest text that reads back as x; a whole number below 2^63 in
 * full. buf holds at least 32 bytes. */
static inline void bo_json_number_text(double x, char *buf, size_t len)
{
    if (!isfinite(x)) {
        snprintf(buf, len, "null"); /* what cJSON writes */
        return;
    }
    if (x == floor(x) && fabs(x) < 9.2e18) {
        snprintf(buf, len, "%.0f", x);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, len, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* Numbers become raw text (cJSON_Delete frees a raw node's text like a
 * string's). Returns 0 when out of memory. */
static inline int bo_json_exact_numbers(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsNumber(item)) {
            char num[40];
            bo_json_number_text(item->valuedouble, num, sizeof num);
            char *text = malloc(strlen(num) + 1);
            if (!text)
                return 0;
            strcpy(text, num);
            item->type = cJSON_Raw;
            item->valuestring = text;
        } else if (!bo_json_exact_numbers(item->child)) {
            return 0;
        }
    }
    return 1;
}

/* A malloc'd compact copy of `item` as JSON text, or NULL when out of
 * memory. */
static inline char *bo_json_print_exact(const cJSON *item)
{
    cJSON *copy = cJSON_Duplicate(item, 1);
    char *text = NULL;
    if (copy && bo_json_exact_numbers(copy))
        text = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    return text;
}

#endif
