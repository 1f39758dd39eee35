/* values_json.c — see values_json.h. */
#include "values_json.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

char *bo_values_to_json(const bo_value *values, size_t n)
{
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char num[40];
        cJSON *item = NULL;
        switch (values[i].type) {
        case BO_VALUE_DOUBLE:
            if (!isfinite(values[i].d))
                goto fail;
            /* cJSON would print 15 digits when they round-trip; %.17g is
             * what bo/DESIGN.md promises in text, so write it raw. */
            snprintf(num, sizeof num, "%.17g", values[i].d);
            item = cJSON_CreateRaw(num);
            break;
        case BO_VALUE_INT:
            snprintf(num, sizeof num, "%" PRId64, values[i].i);
            item = cJSON_CreateRaw(num);
            break;
        case BO_VALUE_STRING:
            item = cJSON_CreateString(values[i].s ? values[i].s : "");
            break;
        default:
            goto fail;
        }
        if (!item || !cJSON_AddItemToObject(obj, values[i].name, item)) {
            cJSON_Delete(item);
            goto fail;
        }
    }
    char *text = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    return text;
fail:
    cJSON_Delete(obj);
    return NULL;
}

void bo_number_for_people(double x, char *buf, size_t len)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, len, "%.0f", x);
    else
        snprintf(buf, len, "%.6g", x);
}
