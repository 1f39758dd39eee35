/*
 * check.h — the tests' tiny harness. Each CHECK counts as one assertion;
 * a failure prints file, line and what was expected, and the run goes on.
 * check_summary() prints "N passed, N failed" and returns the exit status.
 */
#ifndef BO_TESTS_CHECK_H
#define BO_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed_;
static int check_failed_;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            check_passed_++;                                               \
        } else {                                                           \
            check_failed_++;                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
        }                                                                  \
    } while (0)

/* |got - want| <= tol, printing both on failure. */
#define CHECK_NEAR(got, want, tol)                                         \
    do {                                                                   \
        double g_ = (double)(got), w_ = (double)(want), t_ = (double)(tol); \
        if (fabs(g_ - w_) <= t_) {                                         \
            check_passed_++;                                               \
        } else {                                                           \
            check_failed_++;                                               \
            fprintf(stderr, "%s:%d: %s = %.17g, want %.17g (tol %g)\n",    \
                    __FILE__, __LINE__, #got, g_, w_, t_);                 \
        }                                                                  \
    } while (0)

/* Relative tolerance: |got - want| <= rtol * max(1, |want|). */
#define CHECK_CLOSE(got, want, rtol)                                       \
    CHECK_NEAR(got, want, (rtol) * fmax(1.0, fabs((double)(want))))

#define CHECK_STR_CONTAINS(hay, needle)                                    \
    do {                                                                   \
        const char *h_ = (hay), *n_ = (needle);                            \
        if (h_ && strstr(h_, n_)) {                                        \
            check_passed_++;                                               \
        } else {                                                           \
            check_failed_++;                                               \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n",    \
                    __FILE__, __LINE__, h_ ? h_ : "(null)", n_);           \
        }                                                                  \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed_, check_failed_);
    return check_failed_ ? 1 : 0;
}

#endif
