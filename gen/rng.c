/* rng.c — the generator's PRNG (xoshiro256** seeded through splitmix64) and
 * the distributions its model draws from.
 *
 * Every draw of the generator goes through here, so the output is a pure
 * function of the seed: this file must not read the clock, the environment
 * or any other source of entropy, and must not change a draw's arithmetic
 * (the sample files would change). It knows nothing of leads or files. */
#include "gen_rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	uint64_t k = splitmix64(&x) ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&k);
}

double rng_normal(rng *r)
{
	double u1 = 1.0 - rng_unif(r), u2 = rng_unif(r);
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

double rng_expo(rng *r, double mean)
{
	return -mean * log(1.0 - rng_unif(r));
}

double rng_lognorm(rng *r, double median, double sigma)
{
	return median * exp(sigma * rng_normal(r));
}

unsigned rng_poisson(rng *r, double lambda)
{
	if (lambda <= 0)
		return 0;
	if (lambda < 30) {
		double l = exp(-lambda), p = 1.0;
		unsigned k = 0;
		do {
			k++;
			p *= rng_unif(r);
		} while (p > l);
		return k - 1;
	}
	double v = lambda + sqrt(lambda) * rng_normal(r) + 0.5;
	return v < 0 ? 0 : (unsigned)v;
}

size_t rng_pick(rng *r, const double *w, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double x = rng_unif(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
