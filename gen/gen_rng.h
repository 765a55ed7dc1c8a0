/* gen_rng.h — the generator's PRNG: xoshiro256** seeded through splitmix64,
 * and the distributions the model draws from.
 *
 * The draws that run for every event are inline here: the generator makes
 * tens of millions of them for a large run. */
#ifndef MQL_GEN_RNG_H
#define MQL_GEN_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rng {
	uint64_t s[4];
} rng;

/* Stream `stream` of seed `seed`: distinct streams are independent. */
void rng_seed(rng *r, uint64_t seed, uint64_t stream);

static inline uint64_t rng_rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rng_rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static inline double rng_unif(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}
/* Uniform integer in [0, n). */
static inline uint64_t rng_below(rng *r, uint64_t n)
{
	return n ? (uint64_t)(rng_unif(r) * (double)n) : 0;
}
static inline bool rng_chance(rng *r, double p)
{
	return rng_unif(r) < p;
}
/* Uniform in [lo, hi). */
static inline double rng_uniform(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unif(r);
}

double rng_normal(rng *r);				 /* standard normal */
double rng_expo(rng *r, double mean);			 /* exponential */
double rng_lognorm(rng *r, double median, double sigma); /* log-normal */
unsigned rng_poisson(rng *r, double lambda);
size_t rng_pick(rng *r, const double *w, size_t n); /* an index drawn from weights w[0..n) */

#endif
